//! What the till does at the counter beyond selling: discounts, a manager's approval, returns.
//! The [`Till`] runs these; the state waiting between commands is the ReturnsActor's.
//!
//! - **Discounts** (`discount`, `price`): checked on a copy of the basket first; a price
//!   override, or a discount above `till.max_discount_pct` asked by a cashier, waits for a
//!   manager (`approval_needed`), with a reason. An admin at the till approves their own.
//! - **Approval** (`approve <id> <pin>`): the login's PIN check and lockout, without changing
//!   who is logged in; a cashier's PIN is refused (`not_a_manager`); the action waits for
//!   another try after a refusal. Everything is audited: who asked, who approved, why.
//! - **Returns** (`refund`, `refund_qty`, `refund_commit`, `refund_cancel`): the ticket is found
//!   in the ledger (this till's number, or the sale id the ticket's QR code holds) or, for
//!   another till's, in the central database. A cash refund is one ledger transaction (the
//!   credit note, its print job, the drawer session: expected cash goes down). A refund by the
//!   original QR tender is written to the ledger's `refund_requests` first, then asked of the
//!   payment server under the credit note's id (the idempotency key); the credit note is
//!   recorded once the server has the refund, and its state is followed until it is final. A
//!   till killed in between asks again at its next start: nothing is recorded that the server
//!   does not have, and nothing the server has is left unrecorded.

use std::time::Duration;

use actix::prelude::*;

use crate::domain::discount::{Discount, DiscountRule, format_percent};
use crate::domain::refund::{RefundBasket, RefundError, RefundTender, TicketKey, merge_returned};
use crate::domain::{Money, PaymentMethod, Role, Staff};
use crate::i18n::Text;
use crate::pay_web::api::{CreateRefund, RefundStatus};
use crate::store::{OVER_RETURN, RefundRequest, StoreError};

use super::basket::{ApplyDiscount, PreviewDiscount, Refusal};
use super::command::{Command, DiscountTarget};
use super::events::TillEvent;
use super::returns::{
    ClearRefund, GetRefund, Pending, PickRefund, SetPending, SetRefund, TakePending,
};
use super::{Till, ledger, printer, session};

/// How long a return waits for the central database to say what other tills returned.
const CENTRAL_LOOKUP: Duration = Duration::from_secs(3);
/// How often a provider refund that is not final is asked about again.
const FOLLOW_EVERY: Duration = Duration::from_secs(2);

fn mailbox(e: MailboxError) -> Refusal {
    Refusal::new("internal", e.to_string())
}

fn refund_refusal(e: RefundError) -> Refusal {
    match e {
        RefundError::NoSuchLine(n) => Refusal::says(
            "bad_line",
            Text::msg("refund-no-line").arg("line", i64::from(n)),
        ),
        RefundError::Withdrawal => Refusal::says("not_returnable", Text::msg("refund-withdrawal")),
        RefundError::OverReturn { line, returnable } => Refusal::says(
            "over_return",
            Text::msg("refund-over-return")
                .arg("line", i64::from(line))
                .arg("returnable", returnable),
        ),
        RefundError::BadQuantity => Refusal::says(
            "bad_quantity",
            Text::msg("refund-bad-qty").arg("value", "?"),
        ),
        RefundError::NothingPicked => Refusal::says("nothing_picked", Text::msg("refund-nothing")),
        RefundError::IsRefund => {
            Refusal::says("is_credit_note", Text::msg("refund-is-credit-note"))
        }
        RefundError::Overflow => Refusal::says("bad_amount", Text::msg("basket-overflow")),
    }
}

fn target_text(target: DiscountTarget) -> String {
    match target {
        DiscountTarget::Line(n) => format!("line {n}"),
        DiscountTarget::Basket => "basket".to_owned(),
    }
}

fn rule_text(rule: DiscountRule) -> String {
    match rule {
        DiscountRule::Percent(bp) => format_percent(bp),
        DiscountRule::Amount(a) | DiscountRule::Fixed(a) => a.to_string(),
        DiscountRule::Price(p) => format!("→ {p}"),
    }
}

impl Till {
    /// The event of a return in progress.
    fn refund_event(b: &RefundBasket) -> TillEvent {
        TillEvent::RefundBasket {
            original_sale_id: b.original.sale_id.clone(),
            till_id: b.original.till_id.clone(),
            ticket_no: b.original.ticket_no,
            paid_at: crate::domain::sale::format_instant(b.original.paid_at),
            method: b.original.method,
            lines: b.lines.clone(),
            refund_cents: b.amount(),
        }
    }

    /// Asks for a manager: the action waits for `approve`.
    async fn ask_approval(
        &self,
        action: &'static str,
        detail: String,
        command: Command,
        staff: &Staff,
    ) -> Result<(), Refusal> {
        self.returns
            .send(SetPending(Pending {
                action,
                detail: detail.clone(),
                command,
                asked_by: staff.id.to_string(),
            }))
            .await
            .map_err(mailbox)?;
        self.hub.emit(TillEvent::ApprovalNeeded {
            action: action.to_owned(),
            detail,
        });
        Ok(())
    }

    /// `discount …` / `price …`; `approved`: the manager who approved it.
    pub(super) async fn discount(
        &self,
        target: DiscountTarget,
        rule: Option<DiscountRule>,
        reason: Option<String>,
        staff: &Staff,
        approved: Option<&Staff>,
    ) -> Result<(), Refusal> {
        let by = staff.id.to_string();
        let Some(rule) = rule else {
            return self
                .basket
                .send(ApplyDiscount {
                    target,
                    discount: None,
                    by,
                    audit: format!("{} discount removed", target_text(target)),
                })
                .await
                .map_err(mailbox)?;
        };
        let (bp, off) = self
            .basket
            .send(PreviewDiscount { target, rule })
            .await
            .map_err(mailbox)??;
        let action = if matches!(rule, DiscountRule::Price(_)) {
            "price"
        } else {
            "discount"
        };
        let needs_manager =
            crate::domain::discount::needs_manager(rule, bp, self.settings.max_discount_bp);
        let detail = match target {
            DiscountTarget::Line(n) => Text::msg("approval-detail-line").arg("line", n as i64),
            DiscountTarget::Basket => Text::msg("approval-detail-basket"),
        }
        .arg("rule", rule_text(rule))
        .arg("amount", off)
        .arg("pct", format_percent(bp))
        .render(self.hub.lang());
        if needs_manager && approved.is_none() && staff.role != Role::Admin {
            if reason.is_none() {
                return Err(Refusal::says(
                    "reason_needed",
                    Text::msg("approval-reason-needed"),
                ));
            }
            let command = Command::Discount {
                target,
                rule: Some(rule),
                reason,
            };
            return self.ask_approval(action, detail, command, staff).await;
        }
        let approver = approved.or((needs_manager && staff.role == Role::Admin).then_some(staff));
        let audit = format!(
            "{action} {detail}; reason: {}; approved by {}",
            reason.as_deref().unwrap_or("-"),
            approver.map_or("-".to_owned(), |m| format!("{} ({})", m.id, m.name)),
        );
        self.basket
            .send(ApplyDiscount {
                target,
                discount: Some(Discount {
                    rule,
                    reason,
                    approved_by: approver.map(|m| m.id.to_string()),
                }),
                by,
                audit,
            })
            .await
            .map_err(mailbox)?
    }

    /// `approve <id> <pin>`: runs the waiting action with the manager's name on it.
    pub(super) async fn approve(
        &self,
        id: String,
        pin: String,
        staff: &Staff,
    ) -> Result<(), Refusal> {
        let pending = self
            .returns
            .send(TakePending)
            .await
            .map_err(mailbox)?
            .ok_or_else(|| Refusal::says("nothing_to_approve", Text::msg("approval-nothing")))?;
        let verified = self
            .session
            .send(session::Verify {
                id,
                pin,
                asked_by: pending.asked_by.clone(),
            })
            .await
            .map_err(mailbox)?;
        let manager = match verified {
            Ok(m) if m.role == Role::Admin => m,
            other => {
                // The action waits for another try.
                let asked_by = pending.asked_by.clone();
                self.returns
                    .send(SetPending(pending))
                    .await
                    .map_err(mailbox)?;
                return Err(match other {
                    Ok(not_manager) => {
                        let (now, who, asked) =
                            (self.clock.now(), not_manager.id.to_string(), asked_by);
                        self.ledger.do_send(ledger::LedgerJob::new(move |l| {
                            l.audit(
                                now,
                                Some(&who),
                                "approval_refused",
                                &format!("not_a_manager: asked by {asked}"),
                            )
                        }));
                        Refusal::says("not_a_manager", Text::msg("approval-not-manager"))
                    }
                    Err(r) => r,
                });
            }
        };
        let (now, asked, by, detail, action) = (
            self.clock.now(),
            pending.asked_by.clone(),
            manager.id.to_string(),
            pending.detail.clone(),
            pending.action,
        );
        self.ledger.do_send(ledger::LedgerJob::new(move |l| {
            l.audit(
                now,
                Some(&by),
                "approval",
                &format!("{action} asked by {asked}: {detail}"),
            )
        }));
        self.hub.emit(TillEvent::Approved {
            action: pending.action.to_owned(),
            by: manager.id.to_string(),
            name: manager.name.clone(),
        });
        match pending.command {
            Command::Discount {
                target,
                rule,
                reason,
            } => {
                self.discount(target, rule, reason, staff, Some(&manager))
                    .await
            }
            Command::RefundCommit { tender, reason } => {
                self.refund_commit(tender, reason, staff, Some(&manager))
                    .await
            }
            _ => Ok(()),
        }
    }

    /// `refund <ticket>`: finds the sale and what was already returned of it.
    pub(super) async fn refund_open(&self, key: TicketKey) -> Result<(), Refusal> {
        let till = self.settings.till_id.clone();
        let key = match key {
            TicketKey::Ticket { till_id, ticket_no } if till_id == till => {
                TicketKey::Local(ticket_no)
            }
            k => k,
        };
        let k = key.clone();
        let local = ledger::run(&self.ledger, move |l| {
            let id = match &k {
                TicketKey::Local(n) => l.sale_id_by_ticket(&till, *n)?,
                TicketKey::SaleId(id) => l.has_sale(id)?.then(|| id.clone()),
                TicketKey::Ticket { .. } => None,
            };
            match id {
                Some(id) => Ok(Some((l.sale(&id)?, l.returned_rows_of(&id)?))),
                None => Ok(None),
            }
        })
        .await
        .map_err(|e| Refusal::new("store_error", e.to_string()))?;
        let unknown = || Refusal::says("unknown_ticket", Text::msg("refund-unknown-ticket"));
        let (sale, rows) = match (local, &key) {
            (Some((sale, mut rows)), _) => {
                // Another till may have returned part of this sale: central knows (when it
                // answers soon; offline, this till's own credit notes are what it knows).
                if let Some(central) = &self.central {
                    match tokio::time::timeout(CENTRAL_LOOKUP, central.refunds_of(&sale.id)).await {
                        Ok(Ok(elsewhere)) => rows.extend(elsewhere),
                        Ok(Err(e)) => tracing::warn!(error = %e, "refund: central refunds unknown"),
                        Err(_) => tracing::warn!("refund: central did not answer in time"),
                    }
                }
                (sale, rows)
            }
            (None, TicketKey::Local(_)) => return Err(unknown()),
            (None, _) => {
                let Some(central) = &self.central else {
                    return Err(Refusal::says(
                        "unknown_ticket",
                        Text::msg("refund-unknown-no-central"),
                    ));
                };
                let found = central.sale_for_refund(&key).await.map_err(|e| {
                    Refusal::says(
                        "central_unavailable",
                        Text::msg("refund-central-down").arg("error", e.to_string()),
                    )
                })?;
                let (sale, mut rows) = found.ok_or_else(unknown)?;
                let id = sale.id.clone();
                let here = ledger::run(&self.ledger, move |l| l.returned_rows_of(&id))
                    .await
                    .map_err(|e| Refusal::new("store_error", e.to_string()))?;
                rows.extend(here);
                (sale, rows)
            }
        };
        let basket = RefundBasket::new(&sale, &merge_returned(rows)).map_err(refund_refusal)?;
        self.hub.emit(Till::refund_event(&basket));
        self.returns.send(SetRefund(basket)).await.map_err(mailbox)
    }

    /// `refund_qty <line> <n>`.
    pub(super) async fn refund_pick(&self, line: u32, qty: i64) -> Result<(), Refusal> {
        let basket = self
            .returns
            .send(PickRefund { line, qty })
            .await
            .map_err(mailbox)?
            .map_err(refund_refusal)?
            .ok_or_else(|| Refusal::says("no_refund", Text::msg("refund-none")))?;
        self.hub.emit(Till::refund_event(&basket));
        Ok(())
    }

    /// `refund_cancel`.
    pub(super) async fn refund_cancel(&self) -> Result<(), Refusal> {
        if self.returns.send(ClearRefund).await.map_err(mailbox)? {
            self.hub.emit(TillEvent::RefundCancelled);
            Ok(())
        } else {
            Err(Refusal::says("no_refund", Text::msg("refund-none")))
        }
    }

    /// `refund_commit <cash|original> <reason>`: after a manager's approval (an admin at the
    /// till approves their own), records the credit note and pays back.
    pub(super) async fn refund_commit(
        &self,
        tender: RefundTender,
        reason: String,
        staff: &Staff,
        approved: Option<&Staff>,
    ) -> Result<(), Refusal> {
        let basket = self
            .returns
            .send(GetRefund)
            .await
            .map_err(mailbox)?
            .ok_or_else(|| Refusal::says("no_refund", Text::msg("refund-none")))?;
        if !basket.any_picked() {
            return Err(refund_refusal(RefundError::NothingPicked));
        }
        let method = tender.method(basket.original.method);
        if approved.is_none() && staff.role != Role::Admin {
            let detail = Text::msg("approval-detail-refund")
                .arg("ticket", basket.original.ticket_no)
                .arg("amount", basket.amount())
                .arg("method", method.as_str())
                .render(self.hub.lang());
            let command = Command::RefundCommit { tender, reason };
            return self.ask_approval("refund", detail, command, staff).await;
        }
        let approver = approved.unwrap_or(staff);
        let draft = basket
            .draft(
                staff.id.clone(),
                staff.name.clone(),
                method,
                self.settings.cash_rounding,
                reason,
                Some(approver.id.to_string()),
            )
            .map_err(refund_refusal)?;
        let refund_id = uuid::Uuid::now_v7().to_string();
        let done = match method {
            PaymentMethod::Cash => self.record_refund(draft, refund_id, None).await,
            PaymentMethod::Qr => self.refund_by_provider(&basket, draft, refund_id).await,
        };
        // Done, or asked without an answer: this return is over (committing it again would be
        // a second refund; the ticket, opened again, shows the units held by the request).
        if done.as_ref().is_ok() || done.as_ref().is_err_and(|r| r.code == "refund_unconfirmed") {
            self.returns.send(ClearRefund).await.map_err(mailbox)?;
        }
        done
    }

    /// Writes the credit note (one ledger transaction) and tells the screen.
    async fn record_refund(
        &self,
        draft: crate::domain::SaleDraft,
        refund_id: String,
        provider_status: Option<String>,
    ) -> Result<(), Refusal> {
        let (till, now, tz) = (
            self.settings.till_id.clone(),
            self.clock.now(),
            self.settings.tz,
        );
        let id = refund_id.clone();
        let status = provider_status.clone();
        let committed = ledger::run(&self.ledger, move |l| {
            let c = l.commit_sale(draft, id.clone(), &till, now, tz)?;
            if let Some(s) = &status {
                l.refund_request_set(&id, "recorded", Some(s), now)?;
            }
            Ok(c)
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) if m == OVER_RETURN => {
                Refusal::says("over_return", Text::msg("refund-over-return-now"))
            }
            e => Refusal::new("store_error", e.to_string()),
        })?;
        self.printer.do_send(printer::PrintQueued);
        let sale = committed.sale;
        let original = sale.original.clone();
        self.hub.emit(TillEvent::RefundCommitted {
            sale_id: sale.id.clone(),
            ticket_no: sale.ticket_no,
            original_sale_id: original
                .as_ref()
                .map(|o| o.sale_id.clone())
                .unwrap_or_default(),
            original_ticket_no: original.as_ref().map_or(0, |o| o.ticket_no),
            refunded_cents: Money::from_cents(-sale.paid.cents()),
            rounding_cents: sale.rounding,
            method: sale.method,
            provider_status,
        });
        Ok(())
    }

    /// The pay-server client for an intent reference (`lan:` names the LAN server's).
    fn pay_client_for(&self, lan: bool) -> Option<crate::pay_web::client::PayClient> {
        if lan {
            self.servers.lan.clone()
        } else {
            self.servers.hosted.clone()
        }
    }

    /// A QR sale given back through the provider (see the module doc for the order of things).
    async fn refund_by_provider(
        &self,
        basket: &RefundBasket,
        draft: crate::domain::SaleDraft,
        refund_id: String,
    ) -> Result<(), Refusal> {
        let reference = basket
            .payment_ref
            .clone()
            .ok_or_else(|| Refusal::says("not_refundable", Text::msg("refund-no-provider")))?;
        let lan = reference.starts_with("lan:");
        let intent_id = reference.trim_start_matches("lan:").to_owned();
        let client = self
            .pay_client_for(lan)
            .ok_or_else(|| Refusal::says("not_refundable", Text::msg("refund-no-server")))?;
        let amount = Money::from_cents(-draft.paid.cents());
        let req = RefundRequest {
            refund_id: refund_id.clone(),
            intent_id: intent_id.clone(),
            lan,
            amount,
            draft: draft.clone(),
            state: "asking".into(),
            provider_status: None,
        };
        let now = self.clock.now();
        let r = req.clone();
        ledger::run(&self.ledger, move |l| l.refund_request_add(&r, now))
            .await
            .map_err(|e| Refusal::new("store_error", e.to_string()))?;
        let ask = CreateRefund {
            refund_id: refund_id.clone(),
            amount_cents: amount.cents(),
            description: format!("Note de crédit / creditnota {}", basket.original.ticket_no),
        };
        // The client retries a server that does not answer (with backoff) before it gives up.
        let answer = match client.refund(&intent_id, &ask).await {
            Ok(view) => Ok(view),
            // A refusal (4xx) is an answer: the server did not take the refund.
            Err(e) if !e.is_retryable() => Err(Some(e.to_string())),
            Err(e) => {
                tracing::warn!(error = %e, "refund: the payment server did not answer");
                Err(None)
            }
        };
        match answer {
            Ok(view) if view.status != RefundStatus::Failed => {
                let status = view.status.as_str().to_owned();
                self.record_refund(draft, refund_id.clone(), Some(status.clone()))
                    .await?;
                if !view.status.is_final() {
                    let mut req = req;
                    req.state = "recorded".into();
                    req.provider_status = Some(status);
                    self.follow_refund(req);
                }
                Ok(())
            }
            Ok(view) => {
                self.drop_request(&refund_id, "failed").await;
                Err(Refusal::says(
                    "refund_refused",
                    Text::msg("refund-provider-refused")
                        .arg("reason", view.reason.unwrap_or_default()),
                ))
            }
            Err(Some(e)) => {
                self.drop_request(&refund_id, "refused").await;
                Err(Refusal::says(
                    "refund_refused",
                    Text::msg("refund-provider-refused").arg("reason", e),
                ))
            }
            Err(None) => {
                // Unknown whether the server has it: the request stays, and is asked about
                // until it answers (here, and at every start).
                self.follow_refund(req);
                Err(Refusal::says(
                    "refund_unconfirmed",
                    Text::msg("refund-unconfirmed"),
                ))
            }
        }
    }

    async fn drop_request(&self, refund_id: &str, status: &str) {
        let (id, st, now) = (refund_id.to_owned(), status.to_owned(), self.clock.now());
        if let Err(e) = ledger::run(&self.ledger, move |l| {
            l.refund_request_set(&id, "dropped", Some(&st), now)?;
            l.audit(now, None, "refund_dropped", &format!("refund {id}: {st}"))
        })
        .await
        {
            tracing::error!(error = %e, "could not mark a refund request dropped");
        }
    }

    /// Follows a provider refund in the background until it is final: records the credit note
    /// if it was still asking and the server has it, says `refund_progress`, and raises the
    /// alarm if the provider fails it after all.
    fn follow_refund(&self, req: RefundRequest) {
        let till = self.clone();
        actix::spawn(async move { till.follow(req).await });
    }

    async fn follow(&self, mut req: RefundRequest) {
        let Some(client) = self.pay_client_for(req.lan) else {
            tracing::error!(refund = %req.refund_id, "no payment server to follow a refund with");
            return;
        };
        loop {
            match client.refund_status(&req.intent_id, &req.refund_id).await {
                Ok(view) => {
                    let status = view.status.as_str().to_owned();
                    if req.state == "asking" {
                        if view.status == RefundStatus::Failed {
                            self.drop_request(&req.refund_id, "failed").await;
                            self.refund_progress(&req, &status, view.reason.clone(), 0);
                            return;
                        }
                        match self
                            .record_refund(
                                req.draft.clone(),
                                req.refund_id.clone(),
                                Some(status.clone()),
                            )
                            .await
                        {
                            Ok(()) => req.state = "recorded".into(),
                            Err(r) => {
                                tracing::error!(
                                    code = r.code,
                                    "a refund the server has could not be recorded"
                                );
                                self.hub.refuse(&r);
                                return;
                            }
                        }
                    } else if req.provider_status.as_deref() != Some(status.as_str()) {
                        let (id, st, now) =
                            (req.refund_id.clone(), status.clone(), self.clock.now());
                        let _ = ledger::run(&self.ledger, move |l| {
                            l.refund_request_set(&id, "recorded", Some(&st), now)
                        })
                        .await;
                        let ticket = self.ticket_of(&req.refund_id).await;
                        if view.status == RefundStatus::Failed {
                            // Audited before the alarm is shown: whoever sees the alarm (a
                            // cashier, a test, the admin) finds it in the audit trail too.
                            let (id, now) = (req.refund_id.clone(), self.clock.now());
                            if let Err(e) = ledger::run(&self.ledger, move |l| {
                                l.audit(now, None, "provider_refund_failed", &format!("credit note {id}: the provider failed the refund; give it back in cash"))
                            })
                            .await
                            {
                                tracing::error!(error = %e, "could not audit a failed provider refund");
                            }
                        }
                        self.refund_progress(&req, &status, view.reason.clone(), ticket);
                    }
                    req.provider_status = Some(status);
                    if view.status.is_final() {
                        return;
                    }
                }
                Err(e) if e.code() == Some("not_found") && req.state == "asking" => {
                    // The server never got it: nothing was given back.
                    self.drop_request(&req.refund_id, "not_found").await;
                    return;
                }
                Err(e) => {
                    tracing::warn!(error = %e, refund = %req.refund_id, "refund status: no answer yet");
                }
            }
            tokio::time::sleep(FOLLOW_EVERY).await;
        }
    }

    async fn ticket_of(&self, sale_id: &str) -> i64 {
        let id = sale_id.to_owned();
        ledger::run(&self.ledger, move |l| Ok(l.sale(&id)?.ticket_no))
            .await
            .unwrap_or(0)
    }

    fn refund_progress(
        &self,
        req: &RefundRequest,
        status: &str,
        reason: Option<String>,
        ticket_no: i64,
    ) {
        self.hub.emit(TillEvent::RefundProgress {
            sale_id: req.refund_id.clone(),
            ticket_no,
            status: status.to_owned(),
            reason,
        });
    }

    /// At start: the refunds a previous run left asking or not final are followed again.
    pub(super) fn resume_refunds(&self) {
        let till = self.clone();
        actix::spawn(async move {
            match ledger::run(&till.ledger, |l| l.refund_requests_open()).await {
                Ok(open) => {
                    for req in open {
                        till.follow_refund(req);
                    }
                }
                Err(e) => tracing::error!(error = %e, "could not read the open refund requests"),
            }
        });
    }
}
