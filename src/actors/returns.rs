//! ReturnsActor: the counter's two pieces of waiting state that are not a basket.
//!
//! - The return in progress (a [`RefundBasket`]: the original ticket, what is picked), from
//!   `refund <ticket>` to `refund_commit` or `refund_cancel`.
//! - The action waiting for a manager (`approval_needed`): a discount above the cap, a price
//!   override, a refund asked by a cashier. `approve <id> <pin>` takes it and the runtime runs
//!   it with the manager's name on it. Any other command but `status` drops it: an approval is
//!   given for what is on the screen, never for something asked several steps earlier.
//!
//! Only the state lives here; the [`Till`](super::Till) does the lookups, the checks and the
//! ledger writes.

use actix::prelude::*;

use crate::domain::refund::{RefundBasket, RefundError};

use super::command::Command;

/// An action waiting for a manager's approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// `discount`, `price` or `refund`.
    pub action: &'static str,
    /// What the manager is asked to approve, in words (shown on the screen, audited).
    pub detail: String,
    /// The command to run once approved.
    pub command: Command,
    /// Who asked.
    pub asked_by: String,
}

#[derive(Default)]
pub struct ReturnsActor {
    refund: Option<RefundBasket>,
    pending: Option<Pending>,
}

impl Actor for ReturnsActor {
    type Context = Context<Self>;
}

/// Starts (or replaces) the return in progress.
#[derive(Message)]
#[rtype(result = "()")]
pub struct SetRefund(pub RefundBasket);

/// Picks a quantity of a line of the return in progress; answers the return as it now is.
#[derive(Message)]
#[rtype(result = "Result<Option<RefundBasket>, RefundError>")]
pub struct PickRefund {
    pub line: u32,
    pub qty: i64,
}

/// The return in progress (a copy).
#[derive(Message)]
#[rtype(result = "Option<RefundBasket>")]
pub struct GetRefund;

/// Ends the return in progress (committed or cancelled); answers whether there was one.
#[derive(Message)]
#[rtype(result = "bool")]
pub struct ClearRefund;

/// Sets the action waiting for a manager (replacing any).
#[derive(Message)]
#[rtype(result = "()")]
pub struct SetPending(pub Pending);

/// Takes the action waiting for a manager, if any.
#[derive(Message)]
#[rtype(result = "Option<Pending>")]
pub struct TakePending;

impl Handler<SetRefund> for ReturnsActor {
    type Result = ();
    fn handle(&mut self, msg: SetRefund, _: &mut Context<Self>) {
        self.refund = Some(msg.0);
    }
}

impl Handler<PickRefund> for ReturnsActor {
    type Result = Result<Option<RefundBasket>, RefundError>;
    fn handle(&mut self, msg: PickRefund, _: &mut Context<Self>) -> Self::Result {
        match &mut self.refund {
            None => Ok(None),
            Some(r) => {
                r.pick(msg.line, msg.qty)?;
                Ok(Some(r.clone()))
            }
        }
    }
}

impl Handler<GetRefund> for ReturnsActor {
    type Result = Option<RefundBasket>;
    fn handle(&mut self, _: GetRefund, _: &mut Context<Self>) -> Self::Result {
        self.refund.clone()
    }
}

impl Handler<ClearRefund> for ReturnsActor {
    type Result = bool;
    fn handle(&mut self, _: ClearRefund, _: &mut Context<Self>) -> bool {
        self.refund.take().is_some()
    }
}

impl Handler<SetPending> for ReturnsActor {
    type Result = ();
    fn handle(&mut self, msg: SetPending, _: &mut Context<Self>) {
        self.pending = Some(msg.0);
    }
}

impl Handler<TakePending> for ReturnsActor {
    type Result = Option<Pending>;
    fn handle(&mut self, _: TakePending, _: &mut Context<Self>) -> Self::Result {
        self.pending.take()
    }
}
