//! The on-screen keyboard: an AZERTY overlay along the bottom of the window, with a preview of
//! the text being typed into the field it was opened for.

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, FrameType};
use fltk::frame::Frame;
use fltk::group::Group;
use fltk::prelude::*;

use super::{flex, overlay_box, row};
use crate::gui::widgets::{Registry, Scale, action, button, colors, label};
use crate::gui::{Msg, Ui};

pub struct KeyboardView {
    pub group: Group,
    pub preview: Frame,
    pub letters: Vec<(char, Button)>,
    pub shift: Button,
}

const KEYBOARD_ROWS: [&str; 4] = ["1234567890-", "azertyuiopé", "qsdfghjklmè", "wxcvbn,./_à"];

fn kbd_id(c: char) -> &'static str {
    const IDS: [(char, &str); 48] = [
        ('1', "kbd.1"),
        ('2', "kbd.2"),
        ('3', "kbd.3"),
        ('4', "kbd.4"),
        ('5', "kbd.5"),
        ('6', "kbd.6"),
        ('7', "kbd.7"),
        ('8', "kbd.8"),
        ('9', "kbd.9"),
        ('0', "kbd.0"),
        ('a', "kbd.a"),
        ('z', "kbd.z"),
        ('e', "kbd.e"),
        ('r', "kbd.r"),
        ('t', "kbd.t"),
        ('y', "kbd.y"),
        ('u', "kbd.u"),
        ('i', "kbd.i"),
        ('o', "kbd.o"),
        ('p', "kbd.p"),
        ('q', "kbd.q"),
        ('s', "kbd.s"),
        ('d', "kbd.d"),
        ('f', "kbd.f"),
        ('g', "kbd.g"),
        ('h', "kbd.h"),
        ('j', "kbd.j"),
        ('k', "kbd.k"),
        ('l', "kbd.l"),
        ('m', "kbd.m"),
        ('w', "kbd.w"),
        ('x', "kbd.x"),
        ('c', "kbd.c"),
        ('v', "kbd.v"),
        ('b', "kbd.b"),
        ('n', "kbd.n"),
        (',', "kbd.comma"),
        ('.', "kbd.dot"),
        ('-', "kbd.dash"),
        ('@', "kbd.at"),
        ('é', "kbd.eacute"),
        ('è', "kbd.egrave"),
        ('à', "kbd.agrave"),
        ('ç', "kbd.ccedil"),
        ('ù', "kbd.ugrave"),
        ('/', "kbd.slash"),
        ('_', "kbd.underscore"),
        ('\'', "kbd.quote"),
    ];
    IDS.iter()
        .find(|(k, _)| *k == c)
        .map_or("kbd.?", |(_, id)| id)
}

pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    w: i32,
    h: i32,
    m: i32,
) -> KeyboardView {
    let oh = (sc.px(60) * 6).min(h - sc.px(40));
    let (ox, oy, ow) = (0, h - oh, w);
    let mut group = overlay_box(ox, oy, ow, oh);
    group.set_color(colors::HEADER);
    let mut inner = flex(ox + m, oy + m / 2, ow - 2 * m, oh - m, true);
    inner.set_pad(m / 2);
    let mut preview = label(reg, "kbd.preview", "", sc.font(22), Align::Left);
    preview.set_frame(FrameType::DownBox);
    preview.set_color(Color::White);
    let mut letters = Vec::new();
    for line in KEYBOARD_ROWS {
        let mut r = row();
        r.set_pad(m / 2);
        for c in line.chars() {
            let b = button(
                reg,
                kbd_id(c),
                &c.to_string(),
                sc.font(22),
                s,
                Msg::Ui(Ui::Kbd(c)),
            );
            letters.push((c, b));
        }
        r.end();
    }
    let mut last = row();
    last.set_pad(m / 2);
    let shift = button(
        reg,
        "kbd.shift",
        "⇧ Maj",
        sc.font(18),
        s,
        Msg::Ui(Ui::KbdShift),
    );
    last.fixed(&shift, sc.px(96));
    for c in ['ç', 'ù', '\'', '@'] {
        let b = button(
            reg,
            kbd_id(c),
            &c.to_string(),
            sc.font(22),
            s,
            Msg::Ui(Ui::Kbd(c)),
        );
        last.fixed(&b, sc.px(56));
        letters.push((c, b));
    }
    button(
        reg,
        "kbd.space",
        "espace",
        sc.font(18),
        s,
        Msg::Ui(Ui::Kbd(' ')),
    );
    let b = button(reg, "kbd.back", "⌫", sc.font(22), s, Msg::Ui(Ui::KbdBack));
    last.fixed(&b, sc.px(72));
    let b = action(
        reg,
        "kbd.enter",
        "Entrée",
        sc.font(18),
        colors::SUB,
        s,
        Msg::Ui(Ui::KbdEnter),
    );
    last.fixed(&b, sc.px(96));
    let b = button(
        reg,
        "kbd.close",
        "Fermer",
        sc.font(18),
        s,
        Msg::Ui(Ui::KbdClose),
    );
    last.fixed(&b, sc.px(90));
    last.end();
    inner.end();
    group.end();
    group.hide();
    KeyboardView {
        group,
        preview,
        letters,
        shift,
    }
}
