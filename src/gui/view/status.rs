//! The status bar along the bottom of every screen: network and printer state, the reprint
//! button, a banner for warnings, and the clock.

use fltk::app::Sender;
use fltk::button::Button;
use fltk::enums::{Align, Color, Font, FrameType};
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::prelude::*;

use super::flex;
use crate::gui::widgets::{Registry, Scale, button, colors, label};
use crate::gui::{Msg, Ui};

pub struct StatusView {
    pub group: Flex,
    pub network: Frame,
    pub printer: Frame,
    pub reprint: Button,
    pub banner: Frame,
    pub clock: Frame,
}

pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    (x, y, w, h): (i32, i32, i32, i32),
    m: i32,
) -> StatusView {
    let mut group = flex(x, y, w, h, false);
    group.set_frame(FrameType::FlatBox);
    group.set_color(colors::BAR);
    group.set_margins(m, sc.px(2), m, sc.px(2));
    group.set_pad(m);
    let mut network = label(reg, "status.network", "", sc.font(14), Align::Left);
    network.set_label_color(colors::BAR_TEXT);
    group.fixed(&network, sc.px(210));
    let mut printer = label(reg, "status.printer", "", sc.font(14), Align::Left);
    printer.set_label_color(colors::BAR_TEXT);
    group.fixed(&printer, sc.px(170));
    let mut reprint = button(
        reg,
        "status.reprint",
        "Réimprimer",
        sc.font(14),
        s,
        Msg::Ui(Ui::Reprint),
    );
    group.fixed(&reprint, sc.px(110));
    reprint.hide();
    let mut banner = label(reg, "status.banner", "", sc.font(15), Align::Center);
    banner.set_label_font(Font::HelveticaBold);
    banner.set_label_color(Color::from_rgb(0xff, 0xc1, 0x07));
    let mut clock = label(reg, "status.clock", "", sc.font(18), Align::Right);
    clock.set_label_color(colors::BAR_TEXT);
    clock.set_label_font(Font::HelveticaBold);
    group.fixed(&clock, sc.px(70));
    group.end();
    StatusView {
        group,
        network,
        printer,
        reprint,
        banner,
        clock,
    }
}
