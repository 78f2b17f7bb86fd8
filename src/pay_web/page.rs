//! The customer's page: readable on a phone, no JavaScript, in the customer's language (French,
//! Dutch or English: the browser's `Accept-Language`, or the FR | NL | EN switch at the top,
//! which the form and its answer keep). One page per intent state; the pending one holds the
//! confirmation form (CSRF token and the amount shown, so a page rendered for another amount
//! cannot confirm this one). Escaping is maud's; the texts are the Fluent catalogues'.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::domain::Money;
use crate::i18n::{Lang, money, t};

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
.paid{background:#d7f5dd;color:#105c20}.cancelled,.expired,.error{background:#fde2e1;color:#8a1c14}\
nav{text-align:right;font-size:1rem;margin-bottom:.4rem}nav a,nav b{padding:.3rem .45rem}nav a{color:#1565c0}";

/// The FR | NL | EN switch: links to this same page in each language, the current one in bold.
fn languages(lang: Lang) -> Markup {
    html! {
        nav aria-label=(t(lang, "page-languages", &[])) {
            @for (i, l) in Lang::ALL.iter().enumerate() {
                @if i > 0 { " | " }
                @if *l == lang {
                    b lang=(l.as_str()) { (l.as_str().to_uppercase()) }
                } @else {
                    a href={ "?lang=" (l.as_str()) } hreflang=(l.as_str()) lang=(l.as_str()) {
                        (l.as_str().to_uppercase())
                    }
                }
            }
        }
    }
}

fn layout(lang: Lang, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (t(lang, "page-title", &[])) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { (languages(lang)) (body) } }
        }
    }
}

fn basket(lang: Lang, intent: &Intent) -> Markup {
    let total = money(lang, Money::from_cents(intent.amount_cents));
    html! {
        h1 { (intent.shop_name) }
        table {
            @for l in &intent.lines {
                tr { td { (l.name) } td.n { "x" (l.qty) } td.n { (money(lang, Money::from_cents(l.total_cents))) } }
            }
        }
        p.total { (t(lang, "page-total", &[("amount", total.into())])) }
    }
}

/// The page for `intent` as it stands at `status`, in `lang`; `csrf` is the form's token;
/// `notice` a message id (a refused confirmation).
pub fn intent_page(
    lang: Lang,
    intent: &Intent,
    status: IntentStatus,
    csrf: &str,
    notice: Option<&str>,
) -> Markup {
    let amount = money(lang, Money::from_cents(intent.amount_cents));
    let body = html! {
        (basket(lang, intent))
        @if let Some(n) = notice { p.state.error { (t(lang, n, &[])) } }
        @match status {
            IntentStatus::Pending => {
                p { (t(lang, "page-seller", &[("seller", intent.seller.as_str().into())])) }
                form method="post" action={ "/p/" (intent.token) "/confirm?lang=" (lang.as_str()) } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="amount_cents" value=(intent.amount_cents);
                    button type="submit" { (t(lang, "page-confirm", &[])) }
                }
                p { (t(lang, "page-to-pay", &[("amount", amount.into())])) }
            }
            IntentStatus::Paid => { p.state.paid { (t(lang, "page-paid", &[])) } }
            IntentStatus::Cancelled => { p.state.cancelled { (t(lang, "page-cancelled", &[])) } }
            IntentStatus::Expired => { p.state.expired { (t(lang, "page-expired", &[])) } }
        }
    };
    layout(lang, body)
}

/// A page for a request that matches no intent, or is refused before one is found: message
/// `id` in `lang`.
pub fn message_page(lang: Lang, id: &str) -> Markup {
    layout(
        lang,
        html! { h1 { (t(lang, "page-title", &[])) } p.state.error { (t(lang, id, &[])) } },
    )
}
