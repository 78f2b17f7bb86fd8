//! The customer's page: French, readable on a phone, no JavaScript. One page per intent state;
//! the pending one holds the confirmation form (CSRF token and the amount shown, so a page
//! rendered for another amount cannot confirm this one). Escaping is maud's.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::domain::Money;

use super::api::IntentStatus;
use super::store::Intent;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f4f4f6;color:#111}\
main{max-width:28rem;margin:0 auto;padding:1.2rem}\
h1{font-size:1.4rem;margin:.2rem 0 1rem}\
table{width:100%;border-collapse:collapse;background:#fff;border-radius:.5rem}\
td{padding:.55rem .6rem;border-bottom:1px solid #eee}td.n{text-align:right;white-space:nowrap}\
.total{font-size:1.6rem;font-weight:700;margin:1rem 0;text-align:right}\
button{width:100%;font-family:inherit;font-weight:600;font-size:1.3rem;padding:1rem;border:0;border-radius:.6rem;background:#1565c0;color:#fff}\
.state{font-size:1.5rem;font-weight:700;padding:1.2rem;border-radius:.6rem;text-align:center;margin:1rem 0}\
.paid{background:#d7f5dd;color:#105c20}.cancelled,.expired,.error{background:#fde2e1;color:#8a1c14}";

fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    }
}

fn basket(intent: &Intent) -> Markup {
    html! {
        h1 { (intent.shop_name) }
        table {
            @for l in &intent.lines {
                tr { td { (l.name) } td.n { "x" (l.qty) } td.n { (Money::from_cents(l.total_cents)) } }
            }
        }
        p.total { "Total : " (Money::from_cents(intent.amount_cents)) }
    }
}

/// The page for `intent` as it stands at `status`; `csrf` is the form's token.
pub fn intent_page(
    intent: &Intent,
    status: IntentStatus,
    csrf: &str,
    notice: Option<&str>,
) -> Markup {
    let body = html! {
        (basket(intent))
        @if let Some(n) = notice { p.state.error { (n) } }
        @match status {
            IntentStatus::Pending => {
                p { "Vendeur : " (intent.seller) }
                form method="post" action={ "/p/" (intent.token) "/confirm" } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="amount_cents" value=(intent.amount_cents);
                    button type="submit" { "Valider le paiement" }
                }
                p { "À payer : appuyez sur le bouton pour payer " (Money::from_cents(intent.amount_cents)) "." }
            }
            IntentStatus::Paid => { p.state.paid { "Payé ✓ Merci !" } }
            IntentStatus::Cancelled => { p.state.cancelled { "Paiement annulé par la caisse." } }
            IntentStatus::Expired => { p.state.expired { "Paiement expiré. Demandez un nouveau code à la caisse." } }
        }
    };
    layout("Paiement", body)
}

/// A page for a request that matches no intent, or is refused before one is found.
pub fn message_page(message: &str) -> Markup {
    layout(
        "Paiement",
        html! { h1 { "Paiement" } p.state.error { (message) } },
    )
}
