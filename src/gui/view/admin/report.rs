//! The admin's report pane: one day's sales line by line, where they were read from, and the
//! buttons to export the report as TXT, CSV or PDF.

use fltk::app::Sender;
use fltk::enums::{Align, Color, Font};
use fltk::frame::Frame;
use fltk::group::Flex;
use fltk::prelude::*;

use super::super::{flex, row};
use crate::actors::admin::ExportFormat;
use crate::gui::widgets::{ListView, Registry, Scale, button, colors, label};
use crate::gui::{ListId, Msg, Ui};

pub(super) struct ReportPane {
    pub(super) report: Flex,
    pub(super) report_title: Frame,
    pub(super) report_source: Frame,
    pub(super) report_list: ListView,
    pub(super) report_exported: Frame,
}

/// The report pane, in the admin stack at `pane`.
pub(super) fn build(
    reg: &mut Registry,
    s: &Sender<Msg>,
    sc: Scale,
    pane: (i32, i32, i32, i32),
    m: i32,
) -> ReportPane {
    let mut report = flex(pane.0, pane.1, pane.2, pane.3, true);
    report.set_pad(m / 2);
    let mut report_title = label(reg, "report.title", "", sc.font(18), Align::Left);
    report_title.set_label_font(Font::HelveticaBold);
    report.fixed(&report_title, sc.px(26));
    let mut report_source = label(reg, "report.source", "", sc.font(14), Align::Left);
    report_source.set_label_color(Color::from_rgb(0x44, 0x44, 0x44));
    report.fixed(&report_source, sc.px(20));
    let report_list = ListView::new(
        reg,
        "report.list",
        &[
            ("Heure", 1.6, Align::Left),
            ("Vendeur", 2.2, Align::Left),
            ("Produit", 4.0, Align::Left),
            ("Qté", 1.0, Align::Right),
            ("Montant", 2.0, Align::Right),
        ],
        sc,
        s,
        Msg::Ui(Ui::Select(ListId::Report)),
    );
    let _ = &report_list;
    let mut report_exported = label(reg, "report.exported", "", sc.font(13), Align::Left);
    report_exported.set_label_color(colors::SUB);
    report.fixed(&report_exported, sc.px(20));
    let mut erow = row();
    erow.set_pad(m);
    button(
        reg,
        "report.txt",
        "TXT",
        sc.font(18),
        s,
        Msg::Ui(Ui::Export(ExportFormat::Txt)),
    );
    button(
        reg,
        "report.csv",
        "CSV",
        sc.font(18),
        s,
        Msg::Ui(Ui::Export(ExportFormat::Csv)),
    );
    button(
        reg,
        "report.pdf",
        "PDF",
        sc.font(18),
        s,
        Msg::Ui(Ui::Export(ExportFormat::Pdf)),
    );
    button(
        reg,
        "report.back",
        "Retour",
        sc.font(18),
        s,
        Msg::Ui(Ui::ReportBack),
    );
    erow.end();
    report.fixed(&erow, sc.px(52));
    report.end();
    ReportPane {
        report,
        report_title,
        report_source,
        report_list,
        report_exported,
    }
}
