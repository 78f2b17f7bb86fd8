//! The cash drawer: a session runs from `drawer open` (a counted float) to `drawer close` (the
//! counted cash) on one till, and its X (so far) and Z (closing) reports. Pure: the ledger
//! gathers the session's sales and moves, [`DrawerReport::build`] adds them up — one function
//! for both reports, so an X and the Z that follows never disagree on what "expected" means.
//!
//! Expected cash = float + cash sales as paid (after rounding; `paid` is what the customer gave
//! minus the change, so change is never counted as cash received) − withdrawals (RETRAIT ESPÈCES
//! lines: cash handed to the customer, whatever the tender) + cash in − cash out.
//!
//! A Z report is sealed like a ticket: `hash = SHA-256(prev_hash || canonical Z)`, numbered
//! gaplessly per till (the session number is the Z number). A field added to the report after Z
//! reports were first sealed (`voids`) is left out of the canonical form when it is zero, so a
//! Z sealed before it existed still matches its seal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::money::Money;
use super::product::VatRate;
use super::sale::{PaymentMethod, format_instant};
use crate::i18n::{Lang, money, t};

/// The most one cash-in, cash-out, float or count may be: 100 000,00 €.
pub const MAX_DRAWER_AMOUNT: Money = Money::from_cents(10_000_000);
/// The longest reason for a cash-in or cash-out.
pub const MAX_REASON: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    In,
    Out,
}

impl MoveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::In => "in",
            MoveKind::Out => "out",
        }
    }
    pub fn parse(s: &str) -> Option<MoveKind> {
        match s {
            "in" => Some(MoveKind::In),
            "out" => Some(MoveKind::Out),
            _ => None,
        }
    }
}

/// Why a drawer amount or reason is refused (the till says it in the cashier's language).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawerInputError {
    #[error("the amount must be more than 0,00 €")]
    NotPositive,
    #[error("the amount must be at most {MAX_DRAWER_AMOUNT}")]
    TooLarge,
    #[error("a float or a count cannot be negative")]
    Negative,
    #[error("a reason is needed")]
    NoReason,
    #[error("the reason must be at most {MAX_REASON} printable characters")]
    BadReason,
}

/// A cash-in or cash-out amount: more than zero, at most [`MAX_DRAWER_AMOUNT`].
pub fn move_amount(m: Money) -> Result<Money, DrawerInputError> {
    if m.cents() <= 0 {
        Err(DrawerInputError::NotPositive)
    } else if m > MAX_DRAWER_AMOUNT {
        Err(DrawerInputError::TooLarge)
    } else {
        Ok(m)
    }
}

/// A float or a counted amount: zero or more, at most [`MAX_DRAWER_AMOUNT`].
pub fn counted_amount(m: Money) -> Result<Money, DrawerInputError> {
    if m.is_negative() {
        Err(DrawerInputError::Negative)
    } else if m > MAX_DRAWER_AMOUNT {
        Err(DrawerInputError::TooLarge)
    } else {
        Ok(m)
    }
}

/// A cash-in or cash-out reason: trimmed, not empty, printable, at most [`MAX_REASON`].
pub fn reason(s: &str) -> Result<String, DrawerInputError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(DrawerInputError::NoReason);
    }
    if t.chars().count() > MAX_REASON || t.chars().any(char::is_control) {
        return Err(DrawerInputError::BadReason);
    }
    Ok(t.to_owned())
}

/// A drawer session as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawerSession {
    pub till_id: String,
    /// Gapless per till: the Z report's number.
    pub session_no: i64,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub float: Money,
    /// `false`: opened by the till at a first cash operation with 0,00 €, nobody counted.
    pub float_counted: bool,
}

/// A cash-in or cash-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawerMove {
    pub kind: MoveKind,
    pub amount: Money,
    pub reason: String,
    pub staff_name: String,
    pub at: DateTime<Utc>,
}

/// What a report needs of one sale of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSale {
    pub staff_name: String,
    pub method: PaymentMethod,
    pub paid: Money,
    pub withdrawal: Money,
    pub rounding: Money,
    /// (rate, gross) of each item line.
    pub items: Vec<(VatRate, Money)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatLine {
    pub rate_pct: u32,
    pub gross_cents: i64,
    pub vat_cents: i64,
}

/// The X or Z report of a session: every figure in cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawerReport {
    /// `x` (so far) or `z` (closing).
    pub kind: String,
    pub till_id: String,
    /// The Z number (the session's).
    pub z_no: i64,
    pub opened_at: String,
    /// The closing time for a Z, the time of the report for an X.
    pub until: String,
    pub cashiers: Vec<String>,
    pub tickets: i64,
    /// Basket lines voided since the previous Z (absent when none: see the module doc).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub voids: i64,
    pub revenue_cents: i64,
    pub by_vat: Vec<VatLine>,
    pub cash_cents: i64,
    pub qr_cents: i64,
    pub rounding_cents: i64,
    pub float_cents: i64,
    pub float_counted: bool,
    pub cash_in_cents: i64,
    pub cash_out_cents: i64,
    pub withdrawals_cents: i64,
    pub expected_cents: i64,
    /// A Z only: what was counted, and counted − expected.
    pub counted_cents: Option<i64>,
    pub difference_cents: Option<i64>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl DrawerReport {
    /// Adds up a session: an X report when `counted` is `None`, the Z when it is the count.
    /// `voids` is the number of basket lines voided since the previous Z (the ledger counts
    /// them).
    pub fn build(
        session: &DrawerSession,
        sales: &[SessionSale],
        moves: &[DrawerMove],
        voids: i64,
        until: DateTime<Utc>,
        counted: Option<Money>,
    ) -> DrawerReport {
        let mut cashiers: Vec<String> = Vec::new();
        let mut gross = [0i64; 4];
        let mut present = [false; 4];
        let (mut cash, mut qr, mut rounding, mut withdrawals, mut revenue) = (0i64, 0, 0, 0, 0);
        for s in sales {
            if !cashiers.contains(&s.staff_name) {
                cashiers.push(s.staff_name.clone());
            }
            match s.method {
                PaymentMethod::Cash => cash += s.paid.cents(),
                PaymentMethod::Qr => qr += s.paid.cents(),
            }
            rounding += s.rounding.cents();
            withdrawals += s.withdrawal.cents();
            for (rate, g) in &s.items {
                let i = VatRate::ALL.iter().position(|r| r == rate).unwrap_or(0);
                gross[i] += g.cents();
                present[i] = true;
                revenue += g.cents();
            }
        }
        for m in moves {
            if !cashiers.contains(&m.staff_name) {
                cashiers.push(m.staff_name.clone());
            }
        }
        let sum = |k: MoveKind| -> i64 {
            moves
                .iter()
                .filter(|m| m.kind == k)
                .map(|m| m.amount.cents())
                .sum()
        };
        let (cash_in, cash_out) = (sum(MoveKind::In), sum(MoveKind::Out));
        let expected = expected_cash(session.float.cents(), cash, withdrawals, cash_in, cash_out);
        let by_vat = VatRate::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| present[*i])
            .map(|(i, rate)| VatLine {
                rate_pct: u32::from(rate.percent()),
                gross_cents: gross[i],
                vat_cents: rate.vat_in(Money::from_cents(gross[i])).cents(),
            })
            .collect();
        DrawerReport {
            kind: if counted.is_some() { "z" } else { "x" }.into(),
            till_id: session.till_id.clone(),
            z_no: session.session_no,
            opened_at: format_instant(session.opened_at),
            until: format_instant(until),
            cashiers,
            tickets: sales.len() as i64,
            voids,
            revenue_cents: revenue,
            by_vat,
            cash_cents: cash,
            qr_cents: qr,
            rounding_cents: rounding,
            float_cents: session.float.cents(),
            float_counted: session.float_counted,
            cash_in_cents: cash_in,
            cash_out_cents: cash_out,
            withdrawals_cents: withdrawals,
            expected_cents: expected,
            counted_cents: counted.map(Money::cents),
            difference_cents: counted.map(|c| c.cents() - expected),
        }
    }

    /// The exact text a Z report's hash covers.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether `text` is a Z report in its canonical form sealed as `hash` after `prev_hash`
    /// (what `kaching verify` and a read from the central database both check).
    pub fn matches_seal(text: &str, prev_hash: &str, hash: &str) -> Option<DrawerReport> {
        let z: DrawerReport = serde_json::from_str(text).ok()?;
        (z.canonical() == text && z.seal(prev_hash) == hash).then_some(z)
    }

    /// `SHA-256(prev_hash || "\n" || canonical)`, hex.
    pub fn seal(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.canonical().as_bytes());
        hex::encode(h.finalize())
    }
}

impl DrawerReport {
    /// The report as the CLI prints it, in `lang`: the title, then [`DrawerReport::rows_in`].
    pub fn to_text_in(&self, lang: Lang, shop_name: &str) -> String {
        let mut out = t(
            lang,
            if self.kind == "z" {
                "drawer-z-title"
            } else {
                "drawer-x-title"
            },
            &[("no", self.z_no.into()), ("shop", shop_name.into())],
        );
        out.push('\n');
        for (label, value) in self.rows_in(lang) {
            out.push_str(&format!("{label:<28} {value:>14}\n"));
        }
        out
    }

    /// Every figure as a (label, value) row in `lang`, in the report's order: what the text
    /// report prints and the till's screen lists.
    pub fn rows_in(&self, lang: Lang) -> Vec<(String, String)> {
        let m = |c: i64| money(lang, Money::from_cents(c));
        let tr = |id: &str| t(lang, id, &[]);
        let mut rows = vec![
            (tr("drawer-r-till"), self.till_id.clone()),
            (tr("drawer-r-from"), self.opened_at.clone()),
            (tr("drawer-r-until"), self.until.clone()),
            (tr("drawer-r-cashiers"), self.cashiers.join(", ")),
            (tr("drawer-r-tickets"), self.tickets.to_string()),
            (tr("drawer-r-voids"), self.voids.to_string()),
            (tr("drawer-r-revenue"), m(self.revenue_cents)),
        ];
        for v in &self.by_vat {
            rows.push((
                t(
                    lang,
                    "drawer-r-vat",
                    &[("rate", i64::from(v.rate_pct).into())],
                ),
                format!("{} / {}", m(v.gross_cents), m(v.vat_cents)),
            ));
        }
        rows.push((tr("drawer-r-cash"), m(self.cash_cents)));
        rows.push((tr("drawer-r-qr"), m(self.qr_cents)));
        rows.push((tr("drawer-r-rounding"), m(self.rounding_cents)));
        let float = if self.float_counted {
            m(self.float_cents)
        } else {
            format!("{} ({})", m(self.float_cents), tr("drawer-r-not-counted"))
        };
        rows.push((tr("drawer-r-float"), float));
        rows.push((tr("drawer-r-in"), m(self.cash_in_cents)));
        rows.push((tr("drawer-r-out"), m(-self.cash_out_cents)));
        rows.push((tr("drawer-r-withdrawals"), m(-self.withdrawals_cents)));
        rows.push((tr("drawer-r-expected"), m(self.expected_cents)));
        if let (Some(c), Some(d)) = (self.counted_cents, self.difference_cents) {
            rows.push((tr("drawer-r-counted"), m(c)));
            rows.push((tr("drawer-r-difference"), m(d)));
        }
        rows
    }

    /// `field,value` lines (the same figures as the text, in cents, for a spreadsheet).
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["field", "value"])?;
        let mut put = |k: &str, v: String| w.write_record([k, v.as_str()]);
        put("kind", self.kind.clone())?;
        put("till_id", self.till_id.clone())?;
        put("z_no", self.z_no.to_string())?;
        put("opened_at", self.opened_at.clone())?;
        put("until", self.until.clone())?;
        put("cashiers", self.cashiers.join(" | "))?;
        put("tickets", self.tickets.to_string())?;
        put("voids", self.voids.to_string())?;
        put("revenue_cents", self.revenue_cents.to_string())?;
        for v in &self.by_vat {
            put(
                &format!("vat_{}_gross_cents", v.rate_pct),
                v.gross_cents.to_string(),
            )?;
            put(
                &format!("vat_{}_vat_cents", v.rate_pct),
                v.vat_cents.to_string(),
            )?;
        }
        for (k, v) in [
            ("cash_cents", self.cash_cents),
            ("qr_cents", self.qr_cents),
            ("rounding_cents", self.rounding_cents),
            ("float_cents", self.float_cents),
            ("cash_in_cents", self.cash_in_cents),
            ("cash_out_cents", self.cash_out_cents),
            ("withdrawals_cents", self.withdrawals_cents),
            ("expected_cents", self.expected_cents),
        ] {
            put(k, v.to_string())?;
        }
        put("float_counted", self.float_counted.to_string())?;
        put(
            "counted_cents",
            self.counted_cents
                .map(|c| c.to_string())
                .unwrap_or_default(),
        )?;
        put(
            "difference_cents",
            self.difference_cents
                .map(|c| c.to_string())
                .unwrap_or_default(),
        )?;
        let bytes = w.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The cash that should be in the drawer (see the module doc).
pub fn expected_cash(
    float: i64,
    cash_paid: i64,
    withdrawals: i64,
    cash_in: i64,
    cash_out: i64,
) -> i64 {
    float + cash_paid - withdrawals + cash_in - cash_out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn session() -> DrawerSession {
        DrawerSession {
            till_id: "till-1".into(),
            session_no: 3,
            opened_at: at("2026-12-01T07:00:00Z"),
            opened_by: "Khadija".into(),
            float: Money::from_cents(15000),
            float_counted: true,
        }
    }

    fn sale(
        method: PaymentMethod,
        items: &[(VatRate, i64)],
        wd: i64,
        rounding: i64,
    ) -> SessionSale {
        let goods: i64 = items.iter().map(|(_, c)| c).sum();
        SessionSale {
            staff_name: "Khadija".into(),
            method,
            paid: Money::from_cents(goods + wd + rounding),
            withdrawal: Money::from_cents(wd),
            rounding: Money::from_cents(rounding),
            items: items
                .iter()
                .map(|(r, c)| (*r, Money::from_cents(*c)))
                .collect(),
        }
    }

    #[test]
    fn expected_cash_counts_what_was_paid_not_what_was_handed_over() {
        let sales = [
            // 1,23 € paid 1,25 € in cash (the change is not in `paid`).
            sale(PaymentMethod::Cash, &[(VatRate::Six, 123)], 0, 2),
            // 2,50 € by QR with a 20,00 € withdrawal: 20,00 € leaves the drawer.
            sale(PaymentMethod::Qr, &[(VatRate::TwentyOne, 250)], 2000, 0),
            sale(PaymentMethod::Cash, &[(VatRate::Six, 121)], 0, -1),
        ];
        let moves = [
            DrawerMove {
                kind: MoveKind::Out,
                amount: Money::from_cents(10000),
                reason: "banque".into(),
                staff_name: "Marie".into(),
                at: at("2026-12-01T12:00:00Z"),
            },
            DrawerMove {
                kind: MoveKind::In,
                amount: Money::from_cents(2000),
                reason: "monnaie".into(),
                staff_name: "Khadija".into(),
                at: at("2026-12-01T13:00:00Z"),
            },
        ];
        let until = at("2026-12-01T18:00:00Z");
        let x = DrawerReport::build(&session(), &sales, &moves, 2, until, None);
        assert_eq!(x.kind, "x");
        assert_eq!((x.cash_cents, x.qr_cents, x.rounding_cents), (245, 2250, 1));
        assert_eq!(x.revenue_cents, 123 + 250 + 121);
        assert_eq!(x.withdrawals_cents, 2000);
        assert_eq!(x.expected_cents, 15000 + 245 - 2000 + 2000 - 10000);
        assert_eq!(x.cashiers, ["Khadija", "Marie"]);
        assert_eq!(x.tickets, 3);
        assert_eq!(
            x.by_vat
                .iter()
                .map(|v| (v.rate_pct, v.gross_cents))
                .collect::<Vec<_>>(),
            [(6, 244), (21, 250)]
        );
        assert_eq!((x.counted_cents, x.difference_cents), (None, None));
        let z = DrawerReport::build(
            &session(),
            &sales,
            &moves,
            2,
            until,
            Some(Money::from_cents(5240)),
        );
        assert_eq!(z.kind, "z");
        assert_eq!(
            z.expected_cents, x.expected_cents,
            "one computation for both"
        );
        assert_eq!(z.difference_cents, Some(5240 - 5245));
        // The seal covers every figure and the previous Z.
        let h = z.seal("0");
        assert_ne!(z.seal("1"), h);
        let mut edited = z.clone();
        edited.counted_cents = Some(5245);
        assert_ne!(edited.seal("0"), h);
    }

    #[test]
    fn amounts_and_reasons_are_checked() {
        assert_eq!(move_amount(Money::ZERO), Err(DrawerInputError::NotPositive));
        assert_eq!(
            move_amount(Money::from_cents(-5)),
            Err(DrawerInputError::NotPositive)
        );
        assert_eq!(
            move_amount(Money::from_cents(10_000_001)),
            Err(DrawerInputError::TooLarge)
        );
        assert!(move_amount(Money::from_cents(1)).is_ok());
        assert!(counted_amount(Money::ZERO).is_ok());
        assert_eq!(
            counted_amount(Money::from_cents(-1)),
            Err(DrawerInputError::Negative)
        );
        assert_eq!(reason("  "), Err(DrawerInputError::NoReason));
        assert_eq!(reason("a\u{7}"), Err(DrawerInputError::BadReason));
        assert_eq!(reason(&"x".repeat(81)), Err(DrawerInputError::BadReason));
        assert_eq!(reason(" banque ").unwrap(), "banque");
    }

    /// A Z as it was sealed before reports counted voids: no `voids` field at all.
    const OLD_Z: &str = concat!(
        r#"{"kind":"z","till_id":"till-1","z_no":1,"opened_at":"2026-12-01T07:00:00.000Z","#,
        r#""until":"2026-12-01T18:00:00.000Z","cashiers":["Khadija"],"tickets":1,"#,
        r#""revenue_cents":123,"by_vat":[{"rate_pct":6,"gross_cents":123,"vat_cents":7}],"#,
        r#""cash_cents":125,"qr_cents":0,"rounding_cents":2,"float_cents":15000,"#,
        r#""float_counted":true,"cash_in_cents":0,"cash_out_cents":0,"withdrawals_cents":0,"#,
        r#""expected_cents":15125,"counted_cents":15125,"difference_cents":0}"#
    );

    #[test]
    fn a_z_sealed_before_voids_were_counted_still_matches_its_seal() {
        // The seal computed the way it always was, without this program's help.
        let mut h = Sha256::new();
        h.update(b"0\n");
        h.update(OLD_Z.as_bytes());
        let hash = hex::encode(h.finalize());
        let z = DrawerReport::matches_seal(OLD_Z, "0", &hash).expect("the old Z verifies");
        assert_eq!(z.voids, 0);
        assert_eq!(z.canonical(), OLD_Z);
        // An edit still breaks it.
        let edited = OLD_Z.replace("\"counted_cents\":15125", "\"counted_cents\":15130");
        assert!(DrawerReport::matches_seal(&edited, "0", &hash).is_none());
    }

    #[test]
    fn voids_are_in_the_seal_the_text_and_the_csv_when_there_are_some() {
        let sales = [sale(PaymentMethod::Cash, &[(VatRate::Six, 123)], 0, 2)];
        let until = at("2026-12-01T18:00:00Z");
        let counted = Some(Money::from_cents(15125));
        let none = DrawerReport::build(&session(), &sales, &[], 0, until, counted);
        assert!(!none.canonical().contains("voids"), "{}", none.canonical());
        let z = DrawerReport::build(&session(), &sales, &[], 3, until, counted);
        assert!(z.canonical().contains("\"voids\":3"), "{}", z.canonical());
        let sealed = z.seal("0");
        let back = DrawerReport::matches_seal(&z.canonical(), "0", &sealed).unwrap();
        assert_eq!(back.voids, 3);
        let mut fewer = z.clone();
        fewer.voids = 1;
        assert_ne!(fewer.seal("0"), sealed, "the seal covers the voids");
        assert_ne!(none.seal("0"), sealed);

        let text = z.to_text_in(Lang::Fr, "K");
        assert!(text.contains("Lignes supprimées"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("Lignes supprimées") && l.ends_with(" 3")),
            "{text}"
        );
        assert!(
            z.to_text_in(Lang::Nl, "K").contains("Gewiste lijnen"),
            "{}",
            z.to_text_in(Lang::Nl, "K")
        );
        assert!(z.to_csv().unwrap().contains("\nvoids,3\n"));
        // Shown as 0 when there were none, though absent from the sealed form.
        assert!(none.to_csv().unwrap().contains("\nvoids,0\n"));
    }
}
