//! The admin's screens: days, a day's report, the journal, products and staff — their
//! touches and the runtime's replies.

use chrono::{Datelike, NaiveDate};

use super::{
    Effect, List, Model, Overlay, Pane, Row, RowTone, VAT_CHOICES, day_text, parse_day,
    product_row, source_text, staff_row,
};
use crate::actors::CommandError;
use crate::actors::admin::{AdminReply, AdminRequest, ReportSource};
use crate::domain::barcode::{ArticleCode, Gtin};
use crate::domain::basket::LineKind;
use crate::domain::product::{ProductPatch, VatRate, parse_name};
use crate::domain::report::{DayReport, DaySummary};
use crate::domain::staff::{Role, Staff, StaffId, parse_staff_name};
use crate::domain::{Money, Product};
use crate::gui::{AdminTab, ListId, Ui};
use crate::i18n::{Arg, Lang};

/// What the admin's screens show.
#[derive(Debug, Clone, Default)]
pub struct AdminModel {
    pub days: Vec<DaySummary>,
    pub days_source: Option<ReportSource>,
    pub days_list: List,
    /// A problem or a result shown in the days' title.
    pub days_note: String,
    pub report: Option<DayReport>,
    pub report_source: Option<ReportSource>,
    pub report_list: List,
    pub report_note: String,
    pub journal: Option<(ReportSource, crate::domain::report::Journal)>,
    pub journal_list: List,
    pub journal_note: String,
    pub products: Vec<Product>,
    pub products_list: List,
    pub products_message: String,
    pub staff: Vec<Staff>,
    pub staff_list: List,
    pub staff_message: String,
    /// The day the confirmation asks to hide.
    pub hide_day: Option<NaiveDate>,
}

impl Model {
    pub fn days_title(&self) -> String {
        let base = match self.admin.days_source {
            Some(ReportSource::Central) => self.t("gui-days-title-central"),
            Some(ReportSource::Local) => self.t("gui-days-title-local"),
            None => self.t("gui-days-title"),
        };
        if self.admin.days_note.is_empty() {
            base
        } else {
            format!("{base} — {}", self.admin.days_note)
        }
    }

    pub fn report_title(&self) -> String {
        match &self.admin.report {
            Some(r) => self.ta("gui-report-title", &[("day", day_text(r.day).into())]),
            None => String::new(),
        }
    }

    pub fn report_source_text(&self) -> String {
        self.admin
            .report_source
            .map(|s| source_text(self, s))
            .unwrap_or_default()
    }

    pub fn journal_text(&self) -> String {
        if !self.admin.journal_note.is_empty() {
            return self.admin.journal_note.clone();
        }
        self.admin
            .journal
            .as_ref()
            .map(|(s, _)| source_text(self, *s))
            .unwrap_or_default()
    }

    /// « Désactiver » or « Activer » for the selected product or person.
    pub fn toggle_text(&self, active: Option<bool>) -> String {
        self.t(if active == Some(false) {
            "gui-enable"
        } else {
            "gui-disable"
        })
    }

    pub fn product_toggle_text(&self) -> String {
        let p = self
            .fields
            .products_sel
            .and_then(|i| self.admin.products.get(i));
        self.toggle_text(p.map(|p| p.active))
    }

    pub fn staff_toggle_text(&self) -> String {
        let s = self.fields.staff_sel.and_then(|i| self.admin.staff.get(i));
        self.toggle_text(s.map(|s| s.active))
    }
}

fn report_rows(m: &Model, report: &DayReport) -> Vec<Row> {
    let mut rows: Vec<Row> = report
        .lines
        .iter()
        .map(|l| {
            let cells = vec![
                l.time.clone(),
                l.seller.clone(),
                l.product.clone(),
                format!("x{}", l.qty),
                m.money(l.total_cents),
            ];
            Row::toned(
                cells,
                match l.kind {
                    _ if l.refund => RowTone::Refund,
                    LineKind::Withdrawal => RowTone::Withdrawal,
                    LineKind::Item => RowTone::Plain,
                },
            )
        })
        .collect();
    let blank = String::new;
    // A day with credit notes or discounts: sales, credit notes and discounts, then the net.
    if report.refunds != 0 {
        rows.push(Row::plain(vec![
            blank(),
            blank(),
            m.t("gui-report-sales"),
            blank(),
            m.money(report.sales_cents),
        ]));
        rows.push(Row::toned(
            vec![
                blank(),
                blank(),
                m.ta("gui-report-refunds", &[("count", Arg::Num(report.refunds))]),
                blank(),
                m.money(report.refund_cents),
            ],
            RowTone::Refund,
        ));
    }
    if report.discounts != 0 {
        rows.push(Row::plain(vec![
            blank(),
            blank(),
            m.ta(
                "gui-report-discounts",
                &[("count", Arg::Num(report.discounts))],
            ),
            blank(),
            m.money(report.discount_cents),
        ]));
    }
    rows.push(Row::toned(
        vec![
            blank(),
            blank(),
            m.t("gui-report-balance"),
            blank(),
            m.money(report.revenue_cents),
        ],
        RowTone::Total,
    ));
    rows.push(Row::toned(
        vec![
            blank(),
            blank(),
            m.t("gui-report-withdrawals"),
            blank(),
            m.money(report.withdrawal_cents),
        ],
        RowTone::Withdrawal,
    ));
    // Belgian cash rounding: its own total, outside the revenue (shown on a day that has any).
    if report.rounding_cents != Money::ZERO {
        rows.push(Row::plain(vec![
            blank(),
            blank(),
            m.t("gui-report-rounding"),
            blank(),
            m.money(report.rounding_cents),
        ]));
    }
    rows.push(Row::plain(vec![
        blank(),
        blank(),
        m.ta("gui-report-tickets", &[("count", Arg::Num(report.tickets))]),
        blank(),
        blank(),
    ]));
    for s in &report.by_seller {
        rows.push(Row::plain(vec![
            m.t("gui-report-seller"),
            s.seller.clone(),
            m.ta(
                "gui-report-seller-detail",
                &[
                    ("count", Arg::Num(s.tickets)),
                    ("withdrawals", s.withdrawal_cents.into()),
                ],
            ),
            blank(),
            m.money(s.revenue_cents),
        ]));
    }
    for v in &report.by_vat {
        rows.push(Row::plain(vec![
            m.t("gui-report-vat"),
            format!("{} %", v.rate.percent()),
            m.ta(
                "gui-report-vat-detail",
                &[("net", v.net_cents.into()), ("vat", v.vat_cents.into())],
            ),
            blank(),
            m.money(v.gross_cents),
        ]));
    }
    rows
}

fn vat_summary(m: &Model, by_vat: &[crate::domain::report::VatTotal]) -> String {
    by_vat
        .iter()
        .filter(|v| v.gross_cents != Money::ZERO)
        .map(|v| format!("{} % : {}", v.rate.percent(), m.money(v.gross_cents)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Rebuilds the admin's lists from their data, in the model's language.
pub(super) fn rebuild_lists(m: &mut Model) {
    let days: Vec<Row> = m
        .admin
        .days
        .iter()
        .map(|d| {
            Row::plain(vec![
                day_text(d.day),
                d.tickets.to_string(),
                m.money(d.revenue_cents),
                m.money(d.withdrawal_cents),
            ])
        })
        .collect();
    let sel = m.fields.days_sel.filter(|i| *i < days.len());
    m.admin.days_list.set(days, sel);
    if let Some(r) = &m.admin.report {
        let rows = report_rows(m, r);
        m.admin.report_list.set(rows, None);
    }
    if let Some((_, j)) = &m.admin.journal {
        let mut rows: Vec<Row> = j
            .days
            .iter()
            .map(|d| {
                Row::plain(vec![
                    day_text(d.day),
                    d.tickets.to_string(),
                    m.money(d.revenue_cents),
                    vat_summary(m, &d.by_vat),
                ])
            })
            .collect();
        rows.push(Row::toned(
            vec![
                m.t("gui-journal-total"),
                String::new(),
                m.money(j.revenue_cents),
                vat_summary(m, &j.by_vat),
            ],
            RowTone::Total,
        ));
        m.admin.journal_list.set(rows, None);
    }
    let rows = m.admin.products.iter().map(|p| product_row(m, p)).collect();
    let sel = m.fields.products_sel;
    m.admin.products_list.set(rows, sel);
    let rows = m.admin.staff.iter().map(|s| staff_row(m, s)).collect();
    let sel = m.fields.staff_sel;
    m.admin.staff_list.set(rows, sel);
}

pub(super) fn on_reply(m: &mut Model, r: Result<AdminReply, CommandError>) -> Vec<Effect> {
    let mut fx = vec![];
    match r {
        Err(e) => {
            let text = m.ta(
                "gui-error",
                &[("message", e.message.into()), ("code", e.code.into())],
            );
            match m.pane {
                Pane::Products => m.admin.products_message = text,
                Pane::Staff => m.admin.staff_message = text,
                Pane::Report => m.admin.report_note = text,
                Pane::Journal => m.admin.journal_note = text,
                Pane::Days => m.admin.days_note = text,
                Pane::Drawer => m.drawer.message = (text, super::Tone::Danger),
            }
            fx.push(Effect::Beep);
        }
        Ok(AdminReply::Days { source, days }) => {
            m.fields.days_sel = if days.is_empty() { None } else { Some(0) };
            m.admin.days = days;
            m.admin.days_source = Some(source);
            m.admin.days_note.clear();
        }
        Ok(AdminReply::DayReport { source, report }) => {
            m.admin.report = Some(report);
            m.admin.report_source = Some(source);
            m.admin.report_note.clear();
            m.pane = Pane::Report;
        }
        Ok(AdminReply::Journal { source, journal }) => {
            m.admin.journal = Some((source, journal));
            m.admin.journal_note.clear();
        }
        Ok(AdminReply::Exported { path }) => {
            m.admin.report_note = m.ta(
                "gui-exported",
                &[("path", path.display().to_string().into())],
            );
        }
        Ok(AdminReply::ZReports(history)) => super::drawer::on_history(m, history),
        Ok(AdminReply::Products(products)) => m.admin.products = products,
        Ok(AdminReply::Staff(staff)) => m.admin.staff = staff,
        Ok(AdminReply::Imported { added, updated }) => {
            m.admin.products_message = m.ta(
                "gui-imported",
                &[
                    ("added", Arg::Num(added as i64)),
                    ("updated", Arg::Num(updated as i64)),
                ],
            );
            fx.push(Effect::Admin(AdminRequest::Products));
        }
        Ok(AdminReply::Done { message }) => match m.pane {
            Pane::Products => {
                m.admin.products_message = message;
                fx.push(Effect::Admin(AdminRequest::Products));
            }
            Pane::Staff => {
                m.admin.staff_message = message;
                m.fields.staff_pin.clear();
                fx.push(Effect::Admin(AdminRequest::Staff));
            }
            _ => {
                m.admin.days_note = message;
                fx.push(Effect::Admin(AdminRequest::Days));
            }
        },
    }
    rebuild_lists(m);
    fx
}

/// The admin's touches; `None` for a touch that is not theirs.
pub(super) fn on_ui(m: &mut Model, u: Ui) -> Option<Vec<Effect>> {
    let fx = match u {
        Ui::Tab(t) => tab(m, t),
        Ui::DaysOpen => {
            let i = m.fields.days_sel.unwrap_or(0);
            match m.admin.days.get(i) {
                Some(d) => vec![Effect::Admin(AdminRequest::DayReport(d.day))],
                None => {
                    m.admin.days_note = m.t("gui-no-day");
                    vec![]
                }
            }
        }
        Ui::DaysDelete => {
            let Some(d) = m
                .fields
                .days_sel
                .and_then(|i| m.admin.days.get(i))
                .map(|d| d.day)
            else {
                m.admin.days_note = m.t("gui-pick-day");
                return Some(vec![Effect::Beep]);
            };
            m.admin.hide_day = Some(d);
            m.confirm_question = m.ta("gui-hide-day-question", &[("day", day_text(d).into())]);
            m.open(Overlay::Confirm);
            vec![]
        }
        Ui::ConfirmYes => {
            let mut fx = m.close_overlay();
            if let Some(d) = m.admin.hide_day.take() {
                fx.push(Effect::Admin(AdminRequest::HideDay(d)));
            }
            fx
        }
        Ui::ConfirmNo => {
            m.admin.hide_day = None;
            m.close_overlay()
        }
        Ui::ReportBack => {
            m.pane = Pane::Days;
            vec![Effect::Admin(AdminRequest::Days)]
        }
        Ui::Export(format) => match &m.admin.report {
            Some(r) => {
                let day = r.day;
                m.admin.report_note = m.t("gui-exporting");
                vec![Effect::Admin(AdminRequest::Export { day, format })]
            }
            None => {
                m.admin.report_note = m.t("gui-no-report");
                vec![]
            }
        },
        Ui::JournalShow => journal(m),
        Ui::ProductSave => save_product(m),
        Ui::ProductToggle => match m.fields.products_sel.and_then(|i| m.admin.products.get(i)) {
            Some(p) => vec![Effect::Admin(AdminRequest::SetProductActive {
                code: p.code.as_str().to_owned(),
                active: !p.active,
            })],
            None => {
                m.admin.products_message = m.t("gui-pick-product");
                vec![Effect::Beep]
            }
        },
        Ui::ProductImport => {
            let path = m.fields.import_path.trim().to_owned();
            if path.is_empty() {
                m.admin.products_message = m.t("gui-import-path");
                vec![Effect::Beep]
            } else {
                m.admin.products_message = m.t("gui-importing");
                vec![Effect::ImportFile(path)]
            }
        }
        Ui::StaffAdd => add_staff(m),
        Ui::StaffToggle => match m.fields.staff_sel.and_then(|i| m.admin.staff.get(i)) {
            Some(s) => vec![Effect::Admin(AdminRequest::SetStaffActive {
                id: s.id.to_string(),
                active: !s.active,
            })],
            None => {
                m.admin.staff_message = m.t("gui-pick-person");
                vec![Effect::Beep]
            }
        },
        Ui::StaffLang => {
            let lang = Lang::ALL
                .get(m.fields.staff_lang)
                .copied()
                .unwrap_or_default();
            match m.fields.staff_sel.and_then(|i| m.admin.staff.get(i)) {
                // A person picked in the list: their language is saved at once.
                Some(s) if s.lang != lang => vec![Effect::Admin(AdminRequest::SetStaffLang {
                    id: s.id.to_string(),
                    lang,
                })],
                // Nobody picked: the choice is for the person being added.
                _ => vec![],
            }
        }
        Ui::StaffResetPin => {
            let id = match m.fields.staff_sel.and_then(|i| m.admin.staff.get(i)) {
                Some(s) => s.id.to_string(),
                None => m.fields.staff_id.trim().to_owned(),
            };
            let pin = m.fields.staff_pin.trim().to_owned();
            if id.is_empty() || pin.is_empty() {
                m.admin.staff_message = m.t("gui-pick-person-pin");
                vec![Effect::Beep]
            } else {
                vec![Effect::Admin(AdminRequest::ResetPin { id, pin })]
            }
        }
        Ui::Select(ListId::Products) => {
            if let Some(p) = m
                .fields
                .products_sel
                .and_then(|i| m.admin.products.get(i))
                .cloned()
            {
                let f = &mut m.fields;
                f.product_code = p.code.as_str().to_owned();
                f.product_barcode = p
                    .barcode
                    .as_ref()
                    .map(|b| b.as_str().to_owned())
                    .unwrap_or_default();
                f.product_name = p.name.clone();
                f.product_price = p.price.to_decimal_string().replace('.', ",");
                f.product_vat = VAT_CHOICES
                    .iter()
                    .position(|v| *v == p.vat.percent())
                    .unwrap_or(0);
            }
            vec![]
        }
        Ui::Select(ListId::Staff) => {
            if let Some(s) = m
                .fields
                .staff_sel
                .and_then(|i| m.admin.staff.get(i))
                .cloned()
            {
                let f = &mut m.fields;
                f.staff_id = s.id.as_str().to_owned();
                f.staff_name = s.name.clone();
                f.staff_role = usize::from(s.role == Role::Admin);
                f.staff_lang = Lang::ALL.iter().position(|l| *l == s.lang).unwrap_or(0);
            }
            vec![]
        }
        Ui::Select(_) => vec![],
        _ => return None,
    };
    Some(fx)
}

fn tab(m: &mut Model, t: AdminTab) -> Vec<Effect> {
    m.admin.days_note.clear();
    match t {
        AdminTab::Days => {
            m.pane = Pane::Days;
            vec![Effect::Admin(AdminRequest::Days)]
        }
        AdminTab::Journal => {
            let today = m.now.date_naive();
            if m.fields.journal_from.is_empty() {
                let first = today.with_day(1).unwrap_or(today);
                m.fields.journal_from = first.format("%Y-%m-%d").to_string();
                m.fields.journal_to = today.format("%Y-%m-%d").to_string();
            }
            m.pane = Pane::Journal;
            journal(m)
        }
        AdminTab::Products => {
            m.pane = Pane::Products;
            vec![Effect::Admin(AdminRequest::Products)]
        }
        AdminTab::Staff => {
            m.pane = Pane::Staff;
            vec![Effect::Admin(AdminRequest::Staff)]
        }
        AdminTab::Drawer => {
            m.pane = Pane::Drawer;
            m.drawer.message.0.clear();
            m.drawer.shows = super::DrawerShows::History;
            vec![
                Effect::Send(crate::actors::Command::Status),
                Effect::Admin(AdminRequest::ZReports),
            ]
        }
    }
}

fn journal(m: &mut Model) -> Vec<Effect> {
    match (
        parse_day(&m.fields.journal_from),
        parse_day(&m.fields.journal_to),
    ) {
        (Some(from), Some(to)) => {
            m.admin.journal_note.clear();
            vec![Effect::Admin(AdminRequest::Journal { from, to })]
        }
        _ => {
            m.admin.journal_note = m.t("gui-bad-dates");
            vec![Effect::Beep]
        }
    }
}

/// The product form: a new product in full, or for a known code only what the admin changed
/// (another till may have changed the rest meanwhile; the runtime applies the patch to the
/// product as it is now).
fn save_product(m: &mut Model) -> Vec<Effect> {
    let f = &m.fields;
    let field = |id: &str, e: String| m.ta(id, &[("error", e.into())]);
    let built = (|| -> Result<Product, String> {
        let code = ArticleCode::parse(f.product_code.trim())
            .map_err(|e| field("gui-field-code", e.text().render(m.lang)))?;
        let barcode = match f.product_barcode.trim() {
            "" => None,
            b => Some(
                Gtin::parse(b).map_err(|e| field("gui-field-barcode", e.text().render(m.lang)))?,
            ),
        };
        let name = parse_name(&f.product_name)
            .map_err(|e| field("gui-field-name", e.text().render(m.lang)))?;
        let price = Money::parse(f.product_price.trim())
            .map_err(|e| field("gui-field-price", e.text().render(m.lang)))?;
        let vat = VAT_CHOICES
            .get(f.product_vat)
            .and_then(|v| VatRate::parse(&v.to_string()).ok())
            .ok_or_else(|| m.t("gui-field-vat"))?;
        Ok(Product {
            code,
            barcode,
            name,
            price,
            vat,
            active: true,
        })
    })();
    let p = match built {
        Ok(p) => p,
        Err(e) => {
            m.admin.products_message = e;
            return vec![Effect::Beep];
        }
    };
    match m.admin.products.iter().find(|o| o.code == p.code) {
        None => vec![Effect::Admin(AdminRequest::SaveProduct(p))],
        Some(old) => {
            let patch = ProductPatch::between(old, &p);
            if patch.is_empty() {
                m.admin.products_message = m.t("gui-nothing-changed");
                vec![]
            } else {
                vec![Effect::Admin(AdminRequest::EditProduct {
                    code: p.code.as_str().to_owned(),
                    patch,
                })]
            }
        }
    }
}

fn add_staff(m: &mut Model) -> Vec<Effect> {
    let f = &m.fields;
    let built = (|| -> Result<Staff, String> {
        Ok(Staff {
            id: StaffId::parse(f.staff_id.trim())
                .map_err(|e| m.ta("gui-field-id", &[("error", e.text().render(m.lang).into())]))?,
            name: parse_staff_name(&f.staff_name).map_err(|e| {
                m.ta(
                    "gui-field-name",
                    &[("error", e.text().render(m.lang).into())],
                )
            })?,
            role: if f.staff_role == 1 {
                Role::Admin
            } else {
                Role::Cashier
            },
            active: true,
            lang: Lang::ALL.get(f.staff_lang).copied().unwrap_or_default(),
        })
    })();
    let pin = f.staff_pin.trim().to_owned();
    match built {
        Ok(staff) => vec![Effect::Admin(AdminRequest::AddStaff { staff, pin })],
        Err(e) => {
            m.admin.staff_message = e;
            vec![Effect::Beep]
        }
    }
}
