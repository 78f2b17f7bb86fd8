//! The ticket's text layout: the original till's ticket plus what a real shop needs (shop
//! address and VAT number, ticket number, till, VAT summary, tender and change, the chain's short
//! hash). Pure text; the printer drivers turn it into bytes.

use chrono_tz::Tz;

use super::basket::{Account, LineKind};
use super::money::Money;
use super::product::VatRate;
use super::sale::{PaymentMethod, Sale};

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

fn center(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len >= width {
        return text.chars().take(width).collect();
    }
    format!("{}{}", " ".repeat((width - len) / 2), text)
}

/// Splits `text` into pieces of at most `width` characters, at spaces where possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
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

fn left_right(left: &str, right: &str, width: usize) -> String {
    let l = left.chars().count();
    let r = right.chars().count();
    let pad = width.saturating_sub(l + r).max(1);
    format!("{left}{}{right}", " ".repeat(pad))
}

/// Lays out the ticket of `sale` at `width` columns (clamped to 32..=64), times in `tz`.
pub fn render(sale: &Sale, shop: &ShopInfo, tz: Tz, width: usize, duplicate: bool) -> String {
    let w = width.clamp(MIN_WIDTH, MAX_WIDTH);
    let mut out: Vec<String> = Vec::new();
    let eq = "=".repeat(w);
    let dash = "-".repeat(w);
    out.push(eq.clone());
    out.push(center(
        if shop.name.is_empty() {
            "KACHING"
        } else {
            &shop.name
        },
        w,
    ));
    for part in wrap(&shop.address, w).into_iter().filter(|p| !p.is_empty()) {
        out.push(center(&part, w));
    }
    if !shop.vat_number.is_empty() {
        out.push(center(&format!("TVA {}", shop.vat_number), w));
    }
    out.push(eq.clone());
    if duplicate {
        out.push(center("*** DUPLICATA ***", w));
    }
    out.push(format!(
        " {}",
        match sale.account {
            Account::Main => "COMPTE PRINCIPAL",
            Account::Sub => "SOUS-COMPTE",
        }
    ));
    out.push(left_right(
        &format!(" Ticket : {}", sale.ticket_no),
        &format!("Caisse : {}", sale.till_id),
        w,
    ));
    out.push(format!(
        " Date : {}",
        sale.paid_at.with_timezone(&tz).format("%d/%m/%Y %H:%M:%S")
    ));
    out.push(format!(" Vendeur: {}", sale.staff_name));
    out.push(dash.clone());
    // Columns: name | qty (5) | amount (11).
    let amount_w = 11;
    let qty_w = 5;
    let name_w = w - amount_w - qty_w;
    out.push(format!(
        "{:<name_w$}{:>qty_w$}{:>amount_w$}",
        "Article", "Qté", "Prix"
    ));
    out.push(dash.clone());
    for line in &sale.lines {
        let name_lines = wrap(&line.name, name_w - 1);
        let qty = format!("x{}", line.qty);
        for (i, part) in name_lines.iter().enumerate() {
            if i == 0 {
                let padded = format!("{part:<name_w$}");
                out.push(format!(
                    "{padded}{qty:>qty_w$}{:>amount_w$}",
                    line.total.to_string()
                ));
            } else {
                out.push(format!("  {part}"));
            }
        }
        if line.qty > 1 && line.kind == LineKind::Item {
            out.push(format!("  à {}", line.unit));
        }
    }
    out.push(dash.clone());
    out.push(left_right("TOTAL PAYÉ", &sale.paid.to_string(), w));
    if sale.withdrawal > Money::ZERO {
        out.push(left_right(
            " dont retrait espèces",
            &sale.withdrawal.to_string(),
            w,
        ));
    }
    let vat = vat_summary(sale);
    if !vat.is_empty() {
        out.push(left_right(" TVA", "Base      TVA", w));
        for (rate, gross, tax) in vat {
            let base = gross.checked_sub(tax).unwrap_or(Money::ZERO);
            out.push(left_right(
                &format!(" {:>2} %", rate.percent()),
                &format!(
                    "{:>10} {:>9}",
                    base.to_decimal_string().replace('.', ","),
                    tax.to_string()
                ),
                w,
            ));
        }
    }
    match sale.method {
        PaymentMethod::Cash => {
            out.push(left_right(
                " Espèces reçues",
                &sale.tendered.unwrap_or(sale.paid).to_string(),
                w,
            ));
            out.push(left_right(" Rendu", &sale.change.to_string(), w));
        }
        PaymentMethod::Qr => out.push(left_right(" Paiement", "QR", w)),
    }
    out.push(eq);
    out.push(center("Merci de votre visite !", w));
    out.push(dash);
    out.push(center(&format!("Sceau {}", sale.short_hash()), w));
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// Per VAT rate: (rate, VAT-inclusive total, VAT contained), for the rates present.
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
            present.then(|| (rate, gross, rate.vat_in(gross)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sale::{GENESIS_HASH, SaleLine};
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
            revenue: Money::from_cents(370),
            withdrawal: Money::from_cents(1500),
            paid: Money::from_cents(1870),
            tendered: Some(Money::from_cents(2000)),
            change: Money::from_cents(130),
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
    fn vat_summary_per_rate_excludes_withdrawals() {
        let v = vat_summary(&sale());
        assert_eq!(
            v,
            vec![(VatRate::Six, Money::from_cents(370), Money::from_cents(21))]
        );
    }

    #[test]
    fn wrap_cuts_long_words_and_keeps_short_ones() {
        assert_eq!(wrap("abc def", 3), vec!["abc", "def"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), vec![""]);
    }
}
