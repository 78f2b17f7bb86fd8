//! The widgets of every screen, built once at start-up for the window's size. The screens are
//! groups stacked in the same place (one shown at a time); overlays sit above them and make the
//! rest of the window inactive while they are up. Each screen's builder lives in its own module;
//! this one holds the window, the layout helpers they share, and re-exports their views.

mod admin;
mod approval;
mod count;
mod discount;
mod keyboard;
mod login;
mod overlays;
mod pay;
mod returns;
mod status;
mod till;

use fltk::app::Sender;
use fltk::enums::{Color, FrameType};
use fltk::frame::Frame;
use fltk::group::{Flex, Group};
use fltk::prelude::*;
use fltk::window::Window;

use super::widgets::{Registry, Scale, button, colors, label};
use super::{KbdTarget, Msg, Ui};

pub use admin::AdminView;
pub use approval::ApprovalView;
pub use count::CountView;
pub use discount::DiscountView;
pub use keyboard::KeyboardView;
pub use login::LoginView;
pub use overlays::{AmountView, ChangeView, ChooseView, ConfirmView};
pub use pay::PayView;
pub use returns::{AlarmView, RefundCommitView, RefundedView, ReturnView};
pub use status::StatusView;
pub use till::TillView;

pub struct View {
    pub window: Window,
    /// Everything under the overlays (deactivated while one is up).
    pub base: Group,
    pub login: LoginView,
    pub till: TillView,
    pub pay: PayView,
    pub admin: AdminView,
    pub ret: ReturnView,
    pub status: StatusView,
    pub amount: AmountView,
    pub choose: ChooseView,
    pub change: ChangeView,
    pub confirm: ConfirmView,
    pub count: CountView,
    pub discount: DiscountView,
    pub approval: ApprovalView,
    pub refund_commit: RefundCommitView,
    pub refunded: RefundedView,
    pub keyboard: KeyboardView,
    /// Above everything, overlays included: a provider refund that failed.
    pub alarm: AlarmView,
    pub reg: Registry,
    pub scale: Scale,
}

fn flex(x: i32, y: i32, w: i32, h: i32, column: bool) -> Flex {
    let f = Flex::new(x, y, w, h, None::<&str>);
    if column { f.column() } else { f.row() }
}

fn row() -> Flex {
    Flex::default().row()
}

fn column() -> Flex {
    Flex::default().column()
}

fn spacer() -> Frame {
    Frame::default()
}

/// The digit keypad every screen uses: 1-9, then a decimal comma (`clear: None`, sending
/// `key(',')`) or « C » (sending `clear`), 0 and ⌫ (sending `back`); each digit sends `key(d)`.
/// `ids` are the probe ids of the twelve keys, in that order.
#[allow(clippy::too_many_arguments)]
fn keypad(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    ids: &[&'static str; 12],
    key: fn(char) -> Ui,
    clear: Option<Ui>,
    back: Ui,
    pad: i32,
) -> Flex {
    let (extra_label, extra) = match clear {
        Some(clear) => ("C", clear),
        None => (",", key(',')),
    };
    let labels = [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        extra_label,
        "0",
        "⌫",
    ];
    let mut msgs = [
        key('1'),
        key('2'),
        key('3'),
        key('4'),
        key('5'),
        key('6'),
        key('7'),
        key('8'),
        key('9'),
        extra,
        key('0'),
        back,
    ]
    .into_iter();
    let mut grid = column();
    grid.set_pad(pad);
    for r in 0..4 {
        let mut line = row();
        line.set_pad(pad);
        for c in 0..3 {
            let i = r * 3 + c;
            if let Some(msg) = msgs.next() {
                button(reg, ids[i], labels[i], sc.font(26), s, Msg::Ui(msg));
            }
        }
        line.end();
    }
    grid.end();
    grid
}

/// The frame of an overlay: a white bordered box above the screens (hidden by its builder).
fn overlay_box(x: i32, y: i32, w: i32, h: i32) -> Group {
    let mut g = Group::new(x, y, w, h, None::<&str>);
    g.set_frame(FrameType::BorderBox);
    g.set_color(Color::White);
    g
}

/// An overlay of `width` × `height` (scaled, at most the window less its margins) centred in the
/// `w` × `h` window, and the column inside it, its children `m` apart. Both are open: the caller
/// adds the content, then ends the column and the box.
fn centered_overlay(sc: Scale, w: i32, h: i32, m: i32, width: i32, height: i32) -> (Group, Flex) {
    let ow = sc.px(width).min(w - 2 * m);
    let oh = sc.px(height).min(h - 2 * m);
    let (ox, oy) = ((w - ow) / 2, (h - oh) / 2);
    let group = overlay_box(ox, oy, ow, oh);
    let mut inner = flex(ox + m * 2, oy + m * 2, ow - 4 * m, oh - 4 * m, true);
    inner.set_pad(m);
    (group, inner)
}

/// An overlay `width` wide (scaled, at most the window less its margins) and the window's full
/// height less its margins, centred, and the column inside it (children `m / 2` apart). Both are
/// open: the caller adds the content, then ends the column and the box.
fn tall_overlay(sc: Scale, w: i32, h: i32, m: i32, width: i32) -> (Group, Flex) {
    let ow = sc.px(width).min(w - 2 * m);
    let oh = h - 2 * m;
    let (ox, oy) = ((w - ow) / 2, m);
    let group = overlay_box(ox, oy, ow, oh);
    let mut inner = flex(ox + m, oy + m, ow - 2 * m, oh - 2 * m, true);
    inner.set_pad(m / 2);
    (group, inner)
}

/// A reason picked from presets or typed: a row of preset buttons (`ids`, each sending
/// `preset(i)`) and a row with the typed reason (`field`) and the on-screen keyboard's button
/// (`kb`, for `target`), added to the column `parent`. Returns the preset buttons and the field.
#[allow(clippy::too_many_arguments)]
fn reason_rows(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    m: i32,
    parent: &mut Flex,
    ids: &[&'static str],
    preset: fn(usize) -> Ui,
    (field, kb): (&'static str, &'static str),
    target: KbdTarget,
) -> (Vec<fltk::button::Button>, Frame) {
    let mut presets = row();
    presets.set_pad(m / 2);
    let buttons = ids
        .iter()
        .enumerate()
        .map(|(i, id)| button(reg, id, "", sc.font(15), s, Msg::Ui(preset(i))))
        .collect();
    presets.end();
    parent.fixed(&presets, sc.px(52));
    let mut typed = row();
    typed.set_pad(m / 2);
    let mut reason = label(reg, field, "", sc.font(15), fltk::enums::Align::Left);
    reason.set_frame(FrameType::DownBox);
    reason.set_color(Color::White);
    let kb = button(reg, kb, "⌨", sc.font(24), s, Msg::Ui(Ui::Keyboard(target)));
    typed.fixed(&kb, sc.px(56));
    typed.end();
    parent.fixed(&typed, sc.px(48));
    (buttons, reason)
}

impl View {
    pub fn build(w: i32, h: i32, shop: &str, s: &Sender<Msg>) -> View {
        let sc = Scale::for_window(w, h);
        let mut reg = Registry::default();
        let mut window = Window::new(0, 0, w, h, "KACHING");
        window.set_color(colors::BG);
        let bar_h = sc.px(52);
        let body_h = h - bar_h;
        let m = sc.px(8);

        let base = Group::new(0, 0, w, h, None::<&str>);
        let login = login::build(&mut reg, s, sc, shop, (0, 0, w, body_h), m);
        let till = till::build(&mut reg, s, sc, (0, 0, w, body_h), m);
        let pay = pay::build(&mut reg, s, sc, (0, 0, w, body_h), m);
        let admin = admin::build(&mut reg, s, sc, (0, 0, w, body_h), m);
        let ret = returns::build(&mut reg, s, sc, (0, 0, w, body_h), m);
        let status = status::build(&mut reg, s, sc, (0, body_h, w, bar_h), m);
        base.end();
        base.resizable(&base.clone());

        let amount = overlays::build_amount(&mut reg, s, sc, w, body_h, m);
        let choose = overlays::build_choose(&mut reg, s, sc, w, body_h, m);
        let change = overlays::build_change(&mut reg, s, sc, w, body_h, m);
        let confirm = overlays::build_confirm(&mut reg, s, sc, w, body_h, m);
        let count = count::build(&mut reg, s, sc, w, body_h, m);
        let discount = discount::build(&mut reg, s, sc, w, body_h, m);
        let approval = approval::build(&mut reg, s, sc, w, body_h, m);
        let refund_commit = returns::build_commit(&mut reg, s, sc, w, body_h, m);
        let refunded = returns::build_refunded(&mut reg, s, sc, w, body_h, m);
        let keyboard = keyboard::build(&mut reg, s, sc, w, h, m);
        let alarm = returns::build_alarm(&mut reg, s, sc, w, body_h, m);
        window.end();
        View {
            window,
            base,
            login,
            till,
            pay,
            admin,
            ret,
            status,
            amount,
            choose,
            change,
            confirm,
            count,
            discount,
            approval,
            refund_commit,
            refunded,
            keyboard,
            alarm,
            reg,
            scale: sc,
        }
    }
}
