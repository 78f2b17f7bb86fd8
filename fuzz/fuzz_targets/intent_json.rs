//! The till's JSON request bodies on the pay-server, read as the handlers read them
//! (`serde_json::from_slice` into the API type, then its `validate`): `POST /api/v1/intents`
//! (`CreateIntent`) and, for the same bytes, `POST /api/v1/intents/{id}/refunds`
//! (`CreateRefund`).
//!
//! Properties: no panic; a validated intent holds what the API promises (a UUID, an amount of
//! 1 to 1 000 000,00 € equal to the sum of 1 to 200 lines, each with a printable name of at most
//! 80 characters and a quantity of 1 to 999; `main` or `sub`; seller and shop printable, short);
//! sent again as JSON, it reads and validates to the same intent (what a till's retry does); a
//! validated refund has a UUID, an amount in range and a printable description.

#![no_main]

use kaching::pay_web::api::{
    CreateIntent, CreateRefund, IntentLine, MAX_AMOUNT_CENTS, MAX_LINES, NewIntent,
};
use libfuzzer_sys::fuzz_target;

fn printable(s: &str, max: usize) -> bool {
    s.trim() == s && s.chars().count() <= max && !s.chars().any(char::is_control)
}

fn check(new: &NewIntent) {
    assert!(
        (1..=MAX_AMOUNT_CENTS).contains(&new.amount_cents),
        "{new:?}"
    );
    assert!((1..=MAX_LINES).contains(&new.lines.len()), "{new:?}");
    let sum: i64 = new.lines.iter().map(|l| l.total_cents).sum();
    assert_eq!(sum, new.amount_cents, "{new:?}");
    for l in &new.lines {
        assert!(!l.name.is_empty() && printable(&l.name, 80), "{l:?}");
        assert!((1..=999).contains(&l.qty), "{l:?}");
        assert!((0..=MAX_AMOUNT_CENTS).contains(&l.total_cents), "{l:?}");
    }
    assert!(matches!(new.account.as_str(), "main" | "sub"), "{new:?}");
    assert!(printable(&new.seller, 40), "{new:?}");
    assert!(printable(&new.shop_name, 80), "{new:?}");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = serde_json::from_slice::<CreateIntent>(data)
        && let Ok(new) = request.validate()
    {
        check(&new);
        let resend = CreateIntent {
            intent_id: new.id.to_string(),
            amount_cents: new.amount_cents,
            account: new.account.clone(),
            seller: new.seller.clone(),
            shop_name: new.shop_name.clone(),
            lines: new
                .lines
                .iter()
                .map(|l| IntentLine {
                    name: l.name.clone(),
                    qty: l.qty,
                    total_cents: l.total_cents,
                })
                .collect(),
        };
        let json = serde_json::to_vec(&resend).expect("an intent serialises");
        let again: CreateIntent = serde_json::from_slice(&json).expect("and reads back");
        assert_eq!(again.validate().as_ref(), Ok(&new));
    }
    if let Ok(refund) = serde_json::from_slice::<CreateRefund>(data)
        && let Ok((id, amount, description)) = refund.validate()
    {
        assert_eq!(uuid_of(&refund.refund_id), Some(id.to_string()));
        assert!((1..=MAX_AMOUNT_CENTS).contains(&amount));
        assert!(printable(&description, 140), "{description:?}");
    }
});

/// The canonical form of a UUID given in any of the forms `uuid` reads.
fn uuid_of(s: &str) -> Option<String> {
    let hex: String = s.chars().filter(char::is_ascii_hexdigit).collect();
    let hex = hex.get(hex.len().checked_sub(32)?..)?.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}
