//! The ticket's text layout: the original till's ticket plus what a real shop needs (shop
//! address and VAT number, ticket number, till, VAT summary, tender and change, the chain's short
//! hash). Pure text; the printer drivers turn it into bytes.
//!
//! One layout for every kind of sale and every printer ([`layout_ticket`]):
//! - a discounted line shows its price before the discount, then « Remise -0,40 € » and its
//!   new amount; « Total des remises » comes before the total;
//! - a credit note (a sale of kind `refund`) opens with « NOTE DE CRÉDIT » (bold, double
//!   height, one line per ticket language) and the ticket it refers to (number, and till when
//!   another's, date), says why and which manager approved it, prints its lines, totals and VAT
//!   negative, and how the money went back (« Remboursé en espèces » with the cash rounding, or
//!   « Remboursé via QR ») — never an amount tendered or change;
//! - every ticket ends with the sale id under the seal, the text of the QR code an ESC/POS
//!   printer draws below it: what `refund <id>` takes, typed when the code cannot be scanned,
//!   and the only copy on a text printer (preview files, CUPS text queues), which draws none.
//!
//! The file is long (800 lines of code, as many of tests) because the drawer's slips share its
//! layout primitives ([`Layout`], [`Words`], [`header`]); splitting those into a module of their
//! own is the next step if it grows again.

use chrono_tz::Tz;

use super::basket::{Account, LineKind};
use super::money::Money;
use super::product::VatRate;
use super::sale::{PaymentMethod, Sale, SaleKind};
use crate::i18n::{Lang, money, t};

/// What the ticket's header says about the shop (from config).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShopInfo {
    pub name: String,
    pub address: String,
    pub vat_number: String,
}

/// Ticket widths: 32 columns on 58 mm paper, 42 or 48 on 80 mm.
pub const MIN_WIDTH: usize = 32;
pub const MAX_WIDTH: usize = 64;

/// How a ticket line is printed. The text layout pads a centred line with spaces; an ESC/POS
/// printer centres it itself (`ESC a 1`) and prints `bold` / `tall` (double height, same width)
/// lines with its own emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub center: bool,
    pub bold: bool,
    pub tall: bool,
}

impl Style {
    pub const PLAIN: Style = Style {
        center: false,
        bold: false,
        tall: false,
    };
    pub const CENTER: Style = Style {
        center: true,
        bold: false,
        tall: false,
    };
}

/// One printed line: its text (never wider than the ticket) and its style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketLine {
    pub text: String,
    pub style: Style,
}

impl TicketLine {
    /// The line as plain text at `width` columns (centred lines padded on the left).
    pub fn plain(&self, width: usize) -> String {
        if self.style.center {
            center(&self.text, width)
        } else {
            self.text.clone()
        }
    }
}

/// `text` preceded by the spaces that centre it on `width` columns (cut if too long).
pub fn center(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len >= width {
        return text.chars().take(width).collect();
    }
    format!("{}{}", " ".repeat((width - len) / 2), text)
}

/// Splits `text` into pieces of at most `width` characters, at spaces where possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let mut word: String = word.to_owned();
        loop {
            let cur_len = cur.chars().count();
            let word_len = word.chars().count();
            let sep = usize::from(cur_len > 0);
            if cur_len + sep + word_len <= width {
                if sep == 1 {
                    cur.push(' ');
                }
                cur.push_str(&word);
                break;
            }
            if cur_len > 0 {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            // A single word longer than the line: cut it.
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            out.push(head);
            if word.is_empty() {
                break;
            }
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// The ticket being laid out: every line pushed is kept inside `w` columns. Also lays out the
/// drawer's slips and printed X/Z reports (src/domain/drawer_print.rs).
pub(crate) struct Layout {
    w: usize,
    lines: Vec<TicketLine>,
}

impl Layout {
    /// An empty layout at `width` columns (clamped to 32..=64).
    pub(crate) fn new(width: usize) -> Layout {
        Layout {
            w: width.clamp(MIN_WIDTH, MAX_WIDTH),
            lines: Vec::new(),
        }
    }

    pub(crate) fn width(&self) -> usize {
        self.w
    }

    pub(crate) fn into_lines(self) -> Vec<TicketLine> {
        self.lines
    }

    /// Pushes a line; one wider than the ticket (a long seller name, till id…) is wrapped at
    /// spaces, and a word wider than the ticket is cut.
    pub(crate) fn push_styled(&mut self, text: &str, style: Style) {
        if text.chars().count() <= self.w {
            self.lines.push(TicketLine {
                text: text.to_owned(),
                style,
            });
            return;
        }
        for piece in wrap(text, self.w) {
            self.lines.push(TicketLine { text: piece, style });
        }
    }

    pub(crate) fn push(&mut self, text: &str) {
        self.push_styled(text, Style::PLAIN);
    }

    /// A centred text, wrapped at spaces when it is wider than the ticket.
    pub(crate) fn centered(&mut self, text: &str, style: Style) {
        let style = Style {
            center: true,
            ..style
        };
        for part in wrap(text, self.w).into_iter().filter(|p| !p.is_empty()) {
            self.push_styled(&part, style);
        }
    }

    /// A label in one or two languages and its value: `TOTAL PAYÉ / TOTAAL BETAALD   3,70 €`
    /// when that fits, else the first label with the value and the second under it.
    pub(crate) fn labels_right(&mut self, labels: &[String], right: &str, style: Style) {
        let joined = labels
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { l.as_str() } else { l.trim_start() })
            .collect::<Vec<_>>()
            .join(" / ");
        if labels.len() < 2 || joined.chars().count() + 1 + right.chars().count() <= self.w {
            self.left_right(&joined, right, style);
            return;
        }
        self.left_right(&labels[0], right, style);
        for l in &labels[1..] {
            self.push_styled(l, style);
        }
    }

    /// `left` and `right` on one line, `right` flush right; on two lines when they do not fit.
    pub(crate) fn left_right(&mut self, left: &str, right: &str, style: Style) {
        let l = left.chars().count();
        let r = right.chars().count();
        if l + 1 + r <= self.w {
            let pad = self.w - l - r;
            self.push_styled(&format!("{left}{}{right}", " ".repeat(pad)), style);
        } else {
            self.push_styled(left, style);
            if r <= self.w {
                self.push_styled(&format!("{right:>w$}", w = self.w), style);
            } else {
                self.push_styled(right, style);
            }
        }
    }
}

/// The languages a ticket is printed in (`printer.language`): one, or French and Dutch side by
/// side (`fr+nl`, for a Brussels shop: header, column titles, totals, VAT summary and thanks in
/// both; what the customer bought is printed once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketLanguage {
    first: Lang,
    second: Option<Lang>,
}

impl Default for TicketLanguage {
    fn default() -> TicketLanguage {
        TicketLanguage::one(Lang::Fr)
    }
}

impl TicketLanguage {
    pub fn one(lang: Lang) -> TicketLanguage {
        TicketLanguage {
            first: lang,
            second: None,
        }
    }

    /// `fr`, `nl`, `en`, or two of them joined by `+` (`fr+nl`).
    pub fn parse(s: &str) -> Result<TicketLanguage, String> {
        let bad = || format!("'{s}': use fr, nl, en or fr+nl");
        let mut parts = s.split('+').map(|p| Lang::parse(p).map_err(|_| bad()));
        let first = parts.next().ok_or_else(bad)??;
        let second = parts.next().transpose()?;
        if parts.next().is_some() || second == Some(first) {
            return Err(bad());
        }
        Ok(TicketLanguage { first, second })
    }

    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        std::iter::once(self.first).chain(self.second)
    }
}

impl std::fmt::Display for TicketLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.second {
            Some(s) => write!(f, "{}+{}", self.first, s),
            None => write!(f, "{}", self.first),
        }
    }
}

/// A ticket's words in its languages (the drawer's slips speak the same way).
pub(crate) struct Words(pub(crate) TicketLanguage);

impl Words {
    /// Message `id` in each language, a repeated word once (`Ticket`).
    pub(crate) fn all(&self, id: &str) -> Vec<String> {
        self.all_with(id, &[])
    }
    /// [`Words::all`] with the message's arguments.
    pub(crate) fn all_with(&self, id: &str, args: &[(&str, crate::i18n::Arg)]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in self.0.langs() {
            let w = t(l, id, args);
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }
    /// The words joined: `TOTAL PAYÉ / TOTAAL BETAALD`.
    pub(crate) fn joined(&self, id: &str) -> String {
        self.all(id).join(" / ")
    }
    /// A label and its value: `Caisse : 2` in French (the catalogue's `<id>-line`), `Caisse/Kassa:
    /// 2` side by side.
    pub(crate) fn labelled(&self, id: &str, value: &str) -> String {
        if self.0.second.is_none() {
            return t(
                self.0.first,
                &format!("{id}-line"),
                &[("value", value.to_owned().into())],
            );
        }
        format!("{}: {value}", self.all(id).join("/"))
    }
    pub(crate) fn money(&self, m: Money) -> String {
        money(self.0.first, m)
    }
    /// An amount without its currency (the VAT base column): `12,34`, `12.34` in English.
    fn number(&self, m: Money) -> String {
        match self.0.first {
            Lang::En => m.to_decimal_string(),
            _ => m.to_decimal_string().replace('.', ","),
        }
    }
}

/// A ticket to print: the sale, and what the printer knows besides it.
#[derive(Debug, Clone, Copy)]
pub struct Ticket<'a> {
    pub sale: &'a Sale,
    /// A reprint: « DUPLICATA » under the header (and never the drawer).
    pub duplicate: bool,
    /// The name of the manager who approved a credit note: the sale holds their id
    /// (`approved_by`); the printer reads the name from the staff list when it prints.
    pub approver_name: Option<&'a str>,
}

impl<'a> Ticket<'a> {
    /// The original ticket of `sale`.
    pub fn of(sale: &'a Sale) -> Ticket<'a> {
        Ticket {
            sale,
            duplicate: false,
            approver_name: None,
        }
    }

    /// Its duplicate when `duplicate`.
    pub fn duplicate(self, duplicate: bool) -> Ticket<'a> {
        Ticket { duplicate, ..self }
    }

    /// With the approving manager's name.
    pub fn approved_by(self, name: Option<&'a str>) -> Ticket<'a> {
        Ticket {
            approver_name: name,
            ..self
        }
    }
}

/// Lays out the ticket of `sale` at `width` columns (clamped to 32..=64), times in `tz`, in
/// French, as styled lines: what the ESC/POS encoder prints. [`render`] is the same ticket as
/// plain text.
pub fn layout(
    sale: &Sale,
    shop: &ShopInfo,
    tz: Tz,
    width: usize,
    duplicate: bool,
) -> Vec<TicketLine> {
    layout_in(sale, shop, tz, width, duplicate, TicketLanguage::default())
}

/// [`layout`] in `lang`.
pub fn layout_in(
    sale: &Sale,
    shop: &ShopInfo,
    tz: Tz,
    width: usize,
    duplicate: bool,
    lang: TicketLanguage,
) -> Vec<TicketLine> {
    layout_ticket(
        &Ticket::of(sale).duplicate(duplicate),
        shop,
        tz,
        width,
        lang,
    )
}

/// The ticket's layout, a sale's or a credit note's (a sale of kind `refund`): the header, the
/// title of a credit note and the ticket it refers to, who and when, the lines (with their
/// discounts), the totals, VAT per rate, how it was paid or paid back, the seal and the sale id
/// (what the QR code under the ticket holds, as text for a printer that cannot draw it).
pub fn layout_ticket(
    ticket: &Ticket,
    shop: &ShopInfo,
    tz: Tz,
    width: usize,
    lang: TicketLanguage,
) -> Vec<TicketLine> {
    let sale = ticket.sale;
    let words = Words(lang);
    let mut t = Layout::new(width);
    let w = t.w;
    let eq = "=".repeat(w);
    let dash = "-".repeat(w);
    let bold = Style {
        bold: true,
        ..Style::PLAIN
    };
    let credit_note = sale.kind == SaleKind::Refund;
    header(&mut t, shop, &words);
    t.push(&eq);
    if ticket.duplicate {
        t.centered(
            &format!("*** {} ***", words.joined("ticket-duplicate")),
            Style {
                bold: true,
                ..Style::CENTER
            },
        );
    }
    if credit_note {
        credit_note_title(&mut t, sale, tz, &words);
    }
    let account = match sale.account {
        Account::Main => "ticket-main",
        Account::Sub => "ticket-sub",
    };
    t.push_styled(&format!(" {}", words.joined(account)), bold);
    t.left_right(
        &format!(
            " {}",
            words.labelled("ticket-number", &sale.ticket_no.to_string())
        ),
        &words.labelled("ticket-till", &sale.till_id),
        Style::PLAIN,
    );
    t.push(&format!(
        " {}",
        words.labelled(
            "ticket-date",
            &sale
                .paid_at
                .with_timezone(&tz)
                .format("%d/%m/%Y %H:%M:%S")
                .to_string()
        )
    ));
    t.push(&format!(
        " {}",
        words.labelled("ticket-seller", &sale.staff_name)
    ));
    if credit_note {
        if let Some(reason) = &sale.reason {
            t.push(&format!(" {}", words.labelled("ticket-reason", reason)));
        }
        if let Some(id) = &sale.approved_by {
            let who = match ticket.approver_name {
                Some(name) if !name.trim().is_empty() => format!("{} ({id})", name.trim()),
                _ => id.clone(),
            };
            t.push(&format!(" {}", words.labelled("ticket-approved", &who)));
        }
    }
    t.push(&dash);
    lines(&mut t, sale, &words, lang);
    t.push(&dash);
    if !sale.discount.is_zero() {
        t.labels_right(
            &words.all("ticket-discount-total"),
            &words.money(neg(sale.discount)),
            Style::PLAIN,
        );
    }
    // The goods' total; a cash sale's rounding follows in the payment block.
    let total = sale.paid.checked_sub(sale.rounding).unwrap_or(sale.paid);
    let total_label = if credit_note {
        "ticket-credit-total"
    } else {
        "ticket-total"
    };
    t.labels_right(&words.all(total_label), &words.money(total), bold);
    if sale.withdrawal > Money::ZERO {
        t.labels_right(
            &indent(words.all("ticket-withdrawal")),
            &words.money(sale.withdrawal),
            Style::PLAIN,
        );
    }
    vat_block(&mut t, sale, &words);
    if credit_note {
        paid_back(&mut t, sale, &words);
    } else {
        payment(&mut t, sale, &words);
    }
    t.push(&eq);
    for thanks in words.all("ticket-thanks") {
        t.centered(&thanks, Style::CENTER);
    }
    t.push(&dash);
    t.centered(
        &format!(
            "{} {}",
            words.all("ticket-seal").join("/"),
            sale.short_hash()
        ),
        Style::CENTER,
    );
    // The sale id, which the QR code under an ESC/POS ticket holds: typed back (`refund <id>`)
    // when the code cannot be scanned, and the only copy on a printer that draws no QR code.
    for part in split_id(&sale.id, w) {
        t.push_styled(&part, Style::CENTER);
    }
    t.lines
}

/// A credit note's title (« NOTE DE CRÉDIT », bold and double height, one line per language)
/// and the ticket it refers to: its number (with its till when that is another one) and date.
fn credit_note_title(t: &mut Layout, sale: &Sale, tz: Tz, words: &Words) {
    let title = Style {
        bold: true,
        tall: true,
        ..Style::CENTER
    };
    for w in words.all("ticket-credit-note") {
        t.centered(&w, title);
    }
    if let Some(o) = &sale.original {
        let number = if o.till_id == sale.till_id {
            o.ticket_no.to_string()
        } else {
            format!("{}/{}", o.till_id, o.ticket_no)
        };
        let date = o
            .paid_at
            .with_timezone(&tz)
            .format("%d/%m/%Y %H:%M")
            .to_string();
        for line in words.all_with(
            "ticket-credit-for",
            &[("ticket", number.into()), ("date", date.into())],
        ) {
            t.centered(&line, Style::CENTER);
        }
    }
}

/// What was bought (or given back): name, quantity and amount; the unit price when there are
/// several; for a discounted line, the price before the discount in the amount column, then
/// « Remise -0,40 € » and the line's new amount under it.
fn lines(t: &mut Layout, sale: &Sale, words: &Words, lang: TicketLanguage) {
    // Columns: name | qty (5) | amount (11); side by side, one title line per language.
    let amount_w = 11;
    let qty_w = 5;
    let name_w = t.w - amount_w - qty_w;
    for l in lang.langs() {
        t.push(&format!(
            "{:<name_w$}{:>qty_w$}{:>amount_w$}",
            crate::i18n::t(l, "ticket-article", &[]),
            crate::i18n::t(l, "ticket-qty", &[]),
            crate::i18n::t(l, "ticket-price", &[])
        ));
    }
    t.push(&"-".repeat(t.w));
    let discount_label = words.all("ticket-discount").join("/");
    for line in &sale.lines {
        let discounted = !line.discount.is_zero();
        // `total` is `unit × qty − discount`: before the discount, the line cost this.
        let before = line.total.checked_add(line.discount).unwrap_or(line.total);
        let first = if discounted { before } else { line.total };
        let qty = format!("x{}", line.qty);
        for (i, part) in wrap(&line.name, name_w - 1).iter().enumerate() {
            if i == 0 {
                let padded = format!("{part:<name_w$}");
                t.push(&format!(
                    "{padded}{qty:>qty_w$}{:>amount_w$}",
                    words.money(first)
                ));
            } else {
                t.push(&format!("  {part}"));
            }
        }
        if line.qty.abs() > 1 && line.kind == LineKind::Item {
            t.push(&format!(
                "  {} {}",
                words.all("ticket-each").join("/"),
                words.money(line.unit)
            ));
        }
        if discounted {
            t.left_right(
                &format!("  {discount_label} {}", words.money(neg(line.discount))),
                &words.money(line.total),
                Style::PLAIN,
            );
        }
    }
}

/// VAT per rate: base and VAT of each rate present (negative on a credit note).
fn vat_block(t: &mut Layout, sale: &Sale, words: &Words) {
    let vat = vat_summary(sale);
    if vat.is_empty() {
        return;
    }
    t.left_right(
        &format!(" {}", words.all("ticket-vat").join("/")),
        &{
            let base = words.all("ticket-base").join("/");
            let gap = if base.chars().count() >= 10 { " " } else { "" };
            format!("{base:<10}{gap}{}", words.all("ticket-vat").join("/"))
        },
        Style::PLAIN,
    );
    for (rate, gross, tax) in vat {
        let base = gross.checked_sub(tax).unwrap_or(Money::ZERO);
        t.left_right(
            &format!(" {:>2} %", rate.percent()),
            &format!("{:>10} {:>9}", words.number(base), words.money(tax)),
            Style::PLAIN,
        );
    }
}

/// How a sale was paid: cash (with the rounding, the amount received and the change) or QR
/// (with the provider's payment id).
fn payment(t: &mut Layout, sale: &Sale, words: &Words) {
    match sale.method {
        PaymentMethod::Cash => {
            t.labels_right(
                &indent(words.all("ticket-payment")),
                &words.all("ticket-cash").join("/"),
                Style::PLAIN,
            );
            // Belgian rounding: the total above is the goods'; cash pays it rounded.
            if !sale.rounding.is_zero() {
                t.labels_right(
                    &indent(words.all("ticket-rounding")),
                    &words.money(sale.rounding),
                    Style::PLAIN,
                );
                t.labels_right(
                    &indent(words.all("ticket-cash-due")),
                    &words.money(sale.paid),
                    Style::PLAIN,
                );
            }
            t.labels_right(
                &indent(words.all("ticket-cash-received")),
                &words.money(sale.tendered.unwrap_or(sale.paid)),
                Style::PLAIN,
            );
            t.labels_right(
                &indent(words.all("ticket-change")),
                &words.money(sale.change),
                Style::PLAIN,
            );
        }
        PaymentMethod::Qr => {
            t.labels_right(&indent(words.all("ticket-payment")), "QR", Style::PLAIN);
            // The provider's payment id: what the shop finds in its Payconiq portal.
            if let Some(r) = &sale.provider_ref {
                t.labels_right(&indent(words.all("ticket-provider-ref")), r, Style::PLAIN);
            }
        }
    }
}

/// How a credit note paid back: the cash rounding when there is one (the total above is the
/// goods'), then « Remboursé en espèces » or « Remboursé via QR » with what went back. Nothing
/// was tendered, nothing is given in change.
fn paid_back(t: &mut Layout, sale: &Sale, words: &Words) {
    if !sale.rounding.is_zero() {
        t.labels_right(
            &indent(words.all("ticket-rounding")),
            &words.money(sale.rounding),
            Style::PLAIN,
        );
    }
    let how = match sale.method {
        PaymentMethod::Cash => "ticket-refunded-cash",
        PaymentMethod::Qr => "ticket-refunded-qr",
    };
    t.labels_right(
        &indent(words.all(how)),
        &words.money(sale.paid),
        Style::PLAIN,
    );
    if let Some(r) = &sale.provider_ref {
        t.labels_right(&indent(words.all("ticket-provider-ref")), r, Style::PLAIN);
    }
}

/// `-m` (an amount's opposite; saturating, amounts never come near the limit).
fn neg(m: Money) -> Money {
    Money::from_cents(m.cents().saturating_neg())
}

/// The sale id on lines of at most `width` characters: whole when it fits, else cut after a
/// hyphen (a UUID has 36 characters; 32-column paper takes `01a25014-0df1-77cb-be8e-` and
/// `742ec8c1f37c`), so what is typed back is read off whole groups.
fn split_id(id: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = id.trim();
    while rest.chars().count() > width {
        let head: String = rest.chars().take(width).collect();
        let cut = match head.rfind('-') {
            Some(i) if i > 0 => i + 1,
            _ => head.len(),
        };
        let Some((line, after)) = rest.split_at_checked(cut) else {
            break;
        };
        out.push(line.to_owned());
        rest = after;
    }
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

/// The ticket's head: a rule, the shop's name (bold, double height), address and VAT number
/// centred. The drawer's slips and printed reports open with it too.
pub(crate) fn header(t: &mut Layout, shop: &ShopInfo, words: &Words) {
    t.push(&"=".repeat(t.w));
    t.centered(
        if shop.name.trim().is_empty() {
            "KACHING"
        } else {
            &shop.name
        },
        Style {
            bold: true,
            tall: true,
            ..Style::CENTER
        },
    );
    t.centered(&shop.address, Style::CENTER);
    if !shop.vat_number.trim().is_empty() {
        t.centered(
            &format!(
                "{} {}",
                words.all("ticket-vat").join("/"),
                shop.vat_number.trim()
            ),
            Style::CENTER,
        );
    }
}

fn indent(words: Vec<String>) -> Vec<String> {
    words.into_iter().map(|w| format!(" {w}")).collect()
}

/// The ticket of `sale` as plain text at `width` columns (clamped to 32..=64), times in `tz`:
/// one `\n`-terminated line per [`layout`] line, centred lines padded with spaces.
pub fn render(sale: &Sale, shop: &ShopInfo, tz: Tz, width: usize, duplicate: bool) -> String {
    render_in(sale, shop, tz, width, duplicate, TicketLanguage::default())
}

/// [`render`] in `lang`.
pub fn render_in(
    sale: &Sale,
    shop: &ShopInfo,
    tz: Tz,
    width: usize,
    duplicate: bool,
    lang: TicketLanguage,
) -> String {
    render_ticket(
        &Ticket::of(sale).duplicate(duplicate),
        shop,
        tz,
        width,
        lang,
    )
}

/// [`layout_ticket`] as plain text: one `\n`-terminated line per line, centred lines padded
/// with spaces.
pub fn render_ticket(
    ticket: &Ticket,
    shop: &ShopInfo,
    tz: Tz,
    width: usize,
    lang: TicketLanguage,
) -> String {
    let w = width.clamp(MIN_WIDTH, MAX_WIDTH);
    let mut text = String::new();
    for line in layout_ticket(ticket, shop, tz, width, lang) {
        text.push_str(&line.plain(w));
        text.push('\n');
    }
    text
}

/// Per VAT rate: (rate, VAT-inclusive total, VAT contained), for the rates present (negative
/// on a credit note).
pub fn vat_summary(sale: &Sale) -> Vec<(VatRate, Money, Money)> {
    VatRate::ALL
        .iter()
        .filter_map(|&rate| {
            let gross: Money = sale
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Item && l.vat == Some(rate))
                .map(|l| l.total)
                .sum();
            let present = sale
                .lines
                .iter()
                .any(|l| l.kind == LineKind::Item && l.vat == Some(rate));
            // A credit note's VAT is the sale's mirrored (`vat_in` is symmetric).
            present.then_some((rate, gross, rate.vat_in(gross)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sale::{GENESIS_HASH, SaleKind, SaleLine};
    use crate::domain::staff::StaffId;
    use chrono::{DateTime, Utc};

    fn sale() -> Sale {
        let lines = vec![
            SaleLine {
                line_no: 1,
                kind: LineKind::Item,
                product_code: Some("1234".into()),
                name: "Pain au chocolat".into(),
                unit: Money::from_cents(120),
                qty: 1,
                total: Money::from_cents(120),
                vat: Some(VatRate::Six),
                discount: Money::ZERO,
                original_line: None,
            },
            SaleLine {
                line_no: 2,
                kind: LineKind::Item,
                product_code: Some("0000".into()),
                name: "Café".into(),
                unit: Money::from_cents(250),
                qty: 1,
                total: Money::from_cents(250),
                vat: Some(VatRate::Six),
                discount: Money::ZERO,
                original_line: None,
            },
            SaleLine {
                line_no: 3,
                kind: LineKind::Withdrawal,
                product_code: None,
                name: "RETRAIT ESPÈCES".into(),
                unit: Money::from_cents(1500),
                qty: 1,
                total: Money::from_cents(1500),
                vat: None,
                discount: Money::ZERO,
                original_line: None,
            },
        ];
        Sale {
            id: "x".into(),
            till_id: "till-1".into(),
            ticket_no: 1,
            staff_id: StaffId::parse("14").unwrap(),
            staff_name: "Khadija".into(),
            account: Account::Main,
            method: PaymentMethod::Cash,
            payment_ref: None,
            provider_ref: None,
            revenue: Money::from_cents(370),
            withdrawal: Money::from_cents(1500),
            paid: Money::from_cents(1870),
            rounding: Money::ZERO,
            tendered: Some(Money::from_cents(2000)),
            change: Money::from_cents(130),
            discount: Money::ZERO,
            kind: Default::default(),
            original: None,
            reason: None,
            approved_by: None,
            paid_at: DateTime::parse_from_rfc3339("2026-05-31T13:23:54Z")
                .unwrap()
                .with_timezone(&Utc),
            lines,
            prev_hash: GENESIS_HASH.into(),
            hash: "abcdef0123456789".into(),
        }
    }

    #[test]
    fn the_ticket_has_the_origin_lines_in_local_time() {
        let t = render(
            &sale(),
            &ShopInfo {
                name: "KACHING".into(),
                ..Default::default()
            },
            chrono_tz::Europe::Brussels,
            42,
            false,
        );
        assert!(t.contains(" COMPTE PRINCIPAL\n"), "{t}");
        assert!(t.contains(" Date : 31/05/2026 15:23:54\n"), "{t}");
        assert!(t.contains(" Vendeur: Khadija\n"), "{t}");
        assert!(t.contains("RETRAIT ESPÈCES"), "{t}");
        assert!(t.contains("TOTAL PAYÉ") && t.contains("18,70 €"), "{t}");
        assert!(t.contains("Rendu") && t.contains("1,30 €"), "{t}");
        assert!(t.contains("Sceau abcdef012345"), "{t}");
        assert!(!t.contains("DUPLICATA"));
        for line in t.lines() {
            assert!(line.chars().count() <= 42, "too wide: {line:?}");
        }
    }

    #[test]
    fn every_width_keeps_lines_inside_the_paper() {
        let mut s = sale();
        s.lines[0].name = "Croissant au pistache extra large et doré au four à bois".into();
        for w in [32, 42, 48] {
            let t = render(
                &s,
                &ShopInfo {
                    name: "Boulangerie du Coin".into(),
                    address: "Rue de la Loi 16, 1000 Bruxelles".into(),
                    vat_number: "BE0123.456.789".into(),
                },
                chrono_tz::Europe::Brussels,
                w,
                true,
            );
            assert!(t.contains("DUPLICATA"));
            for line in t.lines() {
                assert!(line.chars().count() <= w, "width {w}: {line:?}");
            }
        }
    }

    #[test]
    fn long_names_ids_and_amounts_stay_inside_the_paper() {
        let mut s = sale();
        s.staff_name = "Marie-Françoise de la Tour d'Auvergne-Lauragais".into();
        s.till_id = "till-back-shop-door".into();
        s.lines[1].name = "Supercalifragilisticexpialidociousement".into();
        s.lines[1].qty = 12;
        s.account = Account::Sub;
        let shop = ShopInfo {
            name: "La Grande Boulangerie-Pâtisserie du Coin de la Rue".into(),
            address: "Chaussée de Louvain 1234, 1030 Schaerbeek".into(),
            vat_number: "BE0123.456.789".into(),
        };
        for w in [32, 42, 48] {
            let lines = layout(&s, &shop, chrono_tz::Europe::Brussels, w, false);
            let t = render(&s, &shop, chrono_tz::Europe::Brussels, w, false);
            assert_eq!(t.lines().count(), lines.len());
            for line in t.lines() {
                assert!(line.chars().count() <= w, "width {w}: {line:?}\n{t}");
            }
            assert!(t.contains(" SOUS-COMPTE\n"), "{t}");
            assert!(t.contains("Marie-Fran"), "{t}");
            assert!(t.contains("Supercalifragil"), "{t}");
            assert!(t.contains("Caisse : till-back-shop-door\n"), "{t}");
            assert!(t.contains("  à 2,50 €"), "{t}");
            assert!(t.contains("TVA BE0123.456.789"), "{t}");
            // The shop's name wraps at spaces, every piece bold, tall and centred.
            let title: Vec<&TicketLine> = lines.iter().filter(|l| l.style.tall).collect();
            assert!(title.len() >= 2, "{title:?}");
            assert!(title.iter().all(|l| l.style.bold && l.style.center));
            assert!(title[0].text.starts_with("La Grande"), "{title:?}");
        }
    }

    #[test]
    fn a_rounded_cash_sale_shows_the_rounding_and_the_amount_due() {
        let shop = ShopInfo::default();
        let tz = chrono_tz::Europe::Brussels;
        let mut s = sale();
        // 18,70 € of goods paid 18,70 €: no rounding line.
        let t = render(&s, &shop, tz, 32, false);
        assert!(!t.contains("Arrondi"), "{t}");
        // 18,68 € of goods, rounded to 18,70 € in cash.
        s.rounding = Money::from_cents(2);
        let t = render(&s, &shop, tz, 32, false);
        assert!(t.contains("18,68 €"), "{t}");
        assert!(t.contains("\n Arrondi                  0,02 €\n"), "{t}");
        assert!(t.contains("\n À payer en espèces      18,70 €\n"), "{t}");
        s.rounding = Money::from_cents(-2);
        let t = render(&s, &shop, tz, 32, false);
        assert!(t.contains("18,72 €") && t.contains("-0,02 €"), "{t}");
    }

    #[test]
    fn the_payment_is_spelled_out() {
        let shop = ShopInfo::default();
        let tz = chrono_tz::Europe::Brussels;
        let t = render(&sale(), &shop, tz, 32, false);
        assert!(t.contains("\n Paiement"), "{t}");
        assert!(t.contains("Espèces\n"), "{t}");
        assert!(t.contains("\n Espèces reçues          20,00 €\n"), "{t}");
        assert!(t.contains("Merci de votre visite !"), "{t}");
        let mut qr = sale();
        qr.method = PaymentMethod::Qr;
        qr.tendered = None;
        qr.change = Money::ZERO;
        let t = render(&qr, &shop, tz, 32, false);
        assert!(t.contains(" Paiement                     QR\n"), "{t}");
        assert!(!t.contains("Rendu"), "{t}");
        assert!(!t.contains("Réf."), "{t}");
        qr.provider_ref = Some("5bdb1685b93d1c000bde96f2".into());
        let t = render(&qr, &shop, tz, 32, false);
        assert!(
            t.contains(" Réf. paiement\n        5bdb1685b93d1c000bde96f2\n"),
            "{t}"
        );
        let t = render(&qr, &shop, tz, 48, false);
        assert!(
            t.contains(" Réf. paiement          5bdb1685b93d1c000bde96f2\n"),
            "{t}"
        );
        // The title is the default name when the shop has none, and the total is bold.
        let lines = layout(&sale(), &shop, tz, 32, true);
        assert!(lines.iter().any(|l| l.text == "KACHING" && l.style.tall));
        assert!(
            lines
                .iter()
                .any(|l| l.text.starts_with("TOTAL PAYÉ") && l.style.bold)
        );
        assert!(
            lines
                .iter()
                .any(|l| l.text == "*** DUPLICATA ***" && l.style.center)
        );
    }

    #[test]
    fn vat_summary_per_rate_excludes_withdrawals() {
        let v = vat_summary(&sale());
        assert_eq!(
            v,
            vec![(VatRate::Six, Money::from_cents(370), Money::from_cents(21))]
        );
    }

    const ID: &str = "01a25014-0df1-77cb-be8e-742ec8c1f37c";

    fn item(n: u32, name: &str, unit: i64, qty: i64, discount: i64, vat: VatRate) -> SaleLine {
        SaleLine {
            line_no: n,
            kind: LineKind::Item,
            product_code: Some(format!("{n}")),
            name: name.into(),
            unit: Money::from_cents(unit),
            qty,
            total: Money::from_cents(unit * qty - discount),
            vat: Some(vat),
            discount: Money::from_cents(discount),
            original_line: None,
        }
    }

    /// Café 2 × 2,50 € with 0,40 € off, Eau 1,00 € with 0,04 € off (21 %), Pain 1,20 €: 6,76 €
    /// paid 6,75 € in cash.
    fn discounted_sale() -> Sale {
        let mut s = sale();
        s.id = ID.into();
        s.lines = vec![
            item(1, "Café", 250, 2, 40, VatRate::Six),
            item(2, "Eau", 100, 1, 4, VatRate::TwentyOne),
            item(3, "Pain", 120, 1, 0, VatRate::Six),
        ];
        s.discount = Money::from_cents(44);
        s.revenue = Money::from_cents(676);
        s.withdrawal = Money::ZERO;
        s.paid = Money::from_cents(675);
        s.rounding = Money::from_cents(-1);
        s.tendered = Some(Money::from_cents(1000));
        s.change = Money::from_cents(325);
        s
    }

    /// Ticket 13: one Café (of two) and the Eau of ticket 12 given back in cash, approved by
    /// manager 7: -2,30 - 0,96 = -3,26 €, paid back -3,25 €.
    fn credit_note() -> Sale {
        let mut s = sale();
        s.id = ID.into();
        s.ticket_no = 13;
        s.kind = SaleKind::Refund;
        s.original = Some(crate::domain::sale::OriginalRef {
            sale_id: "01a25014-0000-7000-8000-000000000012".into(),
            till_id: "till-1".into(),
            ticket_no: 12,
            paid_at: DateTime::parse_from_rfc3339("2026-12-07T13:03:10Z")
                .unwrap()
                .with_timezone(&Utc),
            method: PaymentMethod::Cash,
        });
        s.reason = Some("goût de bouchon".into());
        s.approved_by = Some("7".into());
        let mut cafe = item(1, "Café", 250, -1, -20, VatRate::Six);
        cafe.original_line = Some(1);
        let mut eau = item(2, "Eau", 100, -1, -4, VatRate::TwentyOne);
        eau.original_line = Some(2);
        s.lines = vec![cafe, eau];
        s.discount = Money::from_cents(-24);
        s.revenue = Money::from_cents(-326);
        s.withdrawal = Money::ZERO;
        s.paid = Money::from_cents(-325);
        s.rounding = Money::from_cents(1);
        s.tendered = None;
        s.change = Money::ZERO;
        s
    }

    fn plain_lines(t: &str) -> Vec<&str> {
        t.lines().collect()
    }

    #[test]
    fn a_discounted_line_shows_its_price_the_discount_and_its_new_amount_at_32_columns() {
        let t = render(
            &discounted_sale(),
            &ShopInfo::default(),
            chrono_tz::Europe::Brussels,
            32,
            false,
        );
        let lines = plain_lines(&t);
        let at = lines.iter().position(|l| l.starts_with("Café")).unwrap();
        assert_eq!(
            &lines[at..at + 13],
            &[
                "Café               x2     5,00 €",
                "  à 2,50 €",
                "  Remise -0,40 €          4,60 €",
                "Eau                x1     1,00 €",
                "  Remise -0,04 €          0,96 €",
                "Pain               x1     1,20 €",
                "--------------------------------",
                "Total des remises        -0,44 €",
                "TOTAL PAYÉ                6,76 €",
                " TVA               Base      TVA",
                "  6 %             5,47    0,33 €",
                " 21 %             0,79    0,17 €",
                " Paiement                Espèces",
            ],
            "{t}"
        );
        assert!(t.contains("\n Arrondi                 -0,01 €\n"), "{t}");
        assert!(t.contains("\n À payer en espèces       6,75 €\n"), "{t}");
        for line in &lines {
            assert!(line.chars().count() <= 32, "too wide: {line:?}");
        }
        // No discount, no discount lines.
        let plain = render(
            &sale(),
            &ShopInfo::default(),
            chrono_tz::Europe::Brussels,
            32,
            false,
        );
        assert!(!plain.contains("Remise"), "{plain}");
    }

    #[test]
    fn a_discounted_line_at_48_columns_in_french_and_dutch() {
        let lang = TicketLanguage::parse("fr+nl").unwrap();
        let t = render_in(
            &discounted_sale(),
            &ShopInfo::default(),
            chrono_tz::Europe::Brussels,
            48,
            false,
            lang,
        );
        assert!(
            t.contains(concat!(
                "Café                               x2     5,00 €\n",
                "  à 2,50 €\n",
                "  Remise/Korting -0,40 €                  4,60 €\n",
            )),
            "{t}"
        );
        assert!(
            t.contains("\nTotal des remises / Totaal kortingen     -0,44 €\n"),
            "{t}"
        );
        for line in t.lines() {
            assert!(line.chars().count() <= 48, "too wide: {line:?}");
        }
        // In English, amounts the English way.
        let en = render_in(
            &discounted_sale(),
            &ShopInfo::default(),
            chrono_tz::Europe::Brussels,
            48,
            false,
            TicketLanguage::one(crate::i18n::Lang::En),
        );
        assert!(en.contains("  Discount -€0.40"), "{en}");
        assert!(
            en.contains("Total discounts") && en.contains("-€0.44"),
            "{en}"
        );
    }

    #[test]
    fn a_credit_note_at_32_columns_names_the_original_and_what_went_back() {
        let s = credit_note();
        let tz = chrono_tz::Europe::Brussels;
        let ticket = Ticket::of(&s).approved_by(Some("Marie"));
        let lines = layout_ticket(
            &ticket,
            &ShopInfo::default(),
            tz,
            32,
            TicketLanguage::default(),
        );
        let t = render_ticket(
            &ticket,
            &ShopInfo::default(),
            tz,
            32,
            TicketLanguage::default(),
        );
        // The title, large and bold, right under the header.
        let title = lines.iter().find(|l| l.text == "NOTE DE CRÉDIT").unwrap();
        assert!(title.style.bold && title.style.tall && title.style.center);
        assert_eq!(
            &plain_lines(&t)[3..7],
            &[
                "         NOTE DE CRÉDIT",
                " Se rapporte au ticket n° 12 du",
                "        07/12/2026 14:03",
                " COMPTE PRINCIPAL",
            ],
            "{t}"
        );
        for needle in [
            "\n Ticket : 13     Caisse : till-1\n",
            "\n Motif : goût de bouchon\n",
            "\n Accord : Marie (7)\n",
            "\nCafé              x-1    -2,50 €\n  Remise 0,20 €          -2,30 €\n",
            "\nEau               x-1    -1,00 €\n  Remise 0,04 €          -0,96 €\n",
            "\nTotal des remises         0,24 €\nTOTAL                    -3,26 €\n",
            "\n  6 %            -2,17   -0,13 €\n",
            "\n 21 %            -0,79   -0,17 €\n",
            "\n Arrondi                  0,01 €\n Remboursé en espèces    -3,25 €\n====",
        ] {
            assert!(t.contains(needle), "{needle:?} missing from\n{t}");
        }
        // Nothing was tendered, nothing given in change.
        for absent in [
            "Paiement",
            "Espèces reçues",
            "Rendu",
            "À payer",
            "TOTAL PAYÉ",
        ] {
            assert!(!t.contains(absent), "{absent:?} on a credit note:\n{t}");
        }
        assert!(
            lines
                .iter()
                .any(|l| l.text.starts_with("TOTAL ") && l.style.bold)
        );
        for line in t.lines() {
            assert!(line.chars().count() <= 32, "too wide: {line:?}");
        }
        // Without the name (not in the staff list), the manager's id.
        let t = render_ticket(
            &Ticket::of(&s),
            &ShopInfo::default(),
            tz,
            32,
            TicketLanguage::default(),
        );
        assert!(t.contains("\n Accord : 7\n"), "{t}");
    }

    #[test]
    fn a_credit_note_at_48_columns_through_the_app_and_of_another_till() {
        let mut s = credit_note();
        s.method = PaymentMethod::Qr;
        s.paid = s.revenue;
        s.rounding = Money::ZERO;
        s.original.as_mut().unwrap().till_id = "till-2".into();
        let tz = chrono_tz::Europe::Brussels;
        let t = render_ticket(
            &Ticket::of(&s).duplicate(true),
            &ShopInfo::default(),
            tz,
            48,
            TicketLanguage::default(),
        );
        for needle in [
            "*** DUPLICATA ***\n                 NOTE DE CRÉDIT\n",
            "\nSe rapporte au ticket n° till-2/12 du 07/12/2026\n",
            "\n Remboursé via QR                        -3,26 €\n",
            "\nTOTAL                                    -3,26 €\n",
        ] {
            assert!(t.contains(needle), "{needle:?} missing from\n{t}");
        }
        assert!(!t.contains("Arrondi") && !t.contains("espèces"), "{t}");
        for line in t.lines() {
            assert!(line.chars().count() <= 48, "too wide: {line:?}");
        }
    }

    #[test]
    fn a_credit_note_in_french_and_dutch_and_in_english() {
        let s = credit_note();
        let tz = chrono_tz::Europe::Brussels;
        let both = TicketLanguage::parse("fr+nl").unwrap();
        for w in [32, 48] {
            let ticket = Ticket::of(&s).approved_by(Some("Marie"));
            let lines = layout_ticket(&ticket, &ShopInfo::default(), tz, w, both);
            let titles: Vec<&str> = lines
                .iter()
                .filter(|l| l.style.tall && l.style.bold && l.text != "KACHING")
                .map(|l| l.text.as_str())
                .collect();
            assert_eq!(titles, ["NOTE DE CRÉDIT", "CREDITNOTA"], "width {w}");
            let t = render_ticket(&ticket, &ShopInfo::default(), tz, w, both);
            for needle in [
                "Betreft ticket nr. 12 van",
                "Motif/Reden: goût de bouchon",
                "Accord/Akkoord: Marie (7)",
                "Remboursé en espèces",
                "Terugbetaald in contanten",
                "TOTAL / TOTAAL",
                "Remise/Korting 0,20 €",
            ] {
                assert!(
                    t.contains(needle),
                    "width {w}: {needle:?} missing from\n{t}"
                );
            }
            for line in t.lines() {
                assert!(line.chars().count() <= w, "too wide: {line:?}");
            }
        }
        let en = render_ticket(
            &Ticket::of(&s),
            &ShopInfo::default(),
            tz,
            42,
            TicketLanguage::one(crate::i18n::Lang::En),
        );
        for needle in [
            "CREDIT NOTE",
            "\n  Refers to ticket no. 12 of 07/12/2026\n                  14:03\n",
            "Reason: goût de bouchon",
            "Approved by: 7",
            "Refunded in cash",
            "-€3.25",
        ] {
            assert!(en.contains(needle), "{needle:?} missing from\n{en}");
        }
    }

    #[test]
    fn the_sale_id_is_printed_under_the_seal_whole_or_cut_after_a_hyphen() {
        let s = discounted_sale();
        let tz = chrono_tz::Europe::Brussels;
        let t = render(&s, &ShopInfo::default(), tz, 48, false);
        assert!(
            t.ends_with(
                "            Sceau abcdef012345\n      01a25014-0df1-77cb-be8e-742ec8c1f37c\n"
            ),
            "{t}"
        );
        let t = render(&s, &ShopInfo::default(), tz, 32, false);
        assert!(
            t.ends_with("    01a25014-0df1-77cb-be8e-\n          742ec8c1f37c\n"),
            "{t}"
        );
        let lines = layout(&s, &ShopInfo::default(), tz, 32, false);
        assert!(lines.iter().rev().take(2).all(|l| l.style == Style::CENTER));
        assert_eq!(split_id(ID, 36), vec![ID]);
        assert_eq!(split_id("abcdef", 4), vec!["abcd", "ef"]);
        assert_eq!(split_id("ab-cdefgh", 4), vec!["ab-", "cdef", "gh"]);
    }

    #[test]
    fn a_credit_notes_vat_is_the_sales_mirrored() {
        // 1,00 € at 6 % holds 0,06 €; given back, -0,06 € (not -0,05 €).
        let mut s = sale();
        s.lines = vec![item(1, "Eau", 100, 1, 0, VatRate::Six)];
        let sold = vat_summary(&s);
        s.lines = vec![item(1, "Eau", 100, -1, 0, VatRate::Six)];
        let back = vat_summary(&s);
        assert_eq!(
            sold,
            vec![(VatRate::Six, Money::from_cents(100), Money::from_cents(6))]
        );
        assert_eq!(
            back,
            vec![(VatRate::Six, Money::from_cents(-100), Money::from_cents(-6))]
        );
    }

    #[test]
    fn wrap_cuts_long_words_and_keeps_short_ones() {
        assert_eq!(wrap("abc def", 3), vec!["abc", "def"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), vec![""]);
    }
}
