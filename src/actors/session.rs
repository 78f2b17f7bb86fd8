//! SessionActor: who is logged in on this till. Login by ID + PIN against the local staff table
//! (works offline); 5 wrong PINs lock that ID for 15 minutes (or until an admin unlocks it); a
//! session idle for 15 minutes asks for the PIN again and keeps the basket; cashiers are refused
//! outside opening hours (the admin is exempt). Every login, refusal and lockout is audited.

use std::sync::Arc;

use actix::prelude::*;
use chrono::{DateTime, Duration, Utc};

use crate::clock::SharedClock;
use crate::domain::hours::OpeningHours;
use crate::domain::staff::{IDLE_MINUTES, MAX_PIN_FAILURES};
use crate::domain::{Pin, Staff, StaffId};
use crate::i18n::{Lang, Text};
use crate::secrets::PinHasher;
use crate::store::LockState;

use super::basket::Refusal;
use super::events::{EventHub, RefusalReason, TillEvent};
use super::ledger::{self, LedgerActor};

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    LoggedOut,
    Active {
        staff: Staff,
        last_activity: DateTime<Utc>,
    },
    /// Idle too long: the same person must enter the PIN again.
    Locked {
        staff: Staff,
    },
}

/// Log in. Answers the person whose idle-locked session this login replaced, if any: their
/// basket must be cleared like at any other logout.
#[derive(Message)]
#[rtype(result = "Option<Staff>")]
pub struct Login {
    pub id: String,
    pub pin: String,
}

/// Checks that someone may act on the till now, and counts it as activity.
#[derive(Message)]
#[rtype(result = "Result<Staff, Refusal>")]
pub struct Authorize;

/// Ends the session. Returns who was logged out.
#[derive(Message)]
#[rtype(result = "Result<Staff, Refusal>")]
pub struct Logout {
    pub reason: &'static str,
}

/// Sent by the clock guard: locks an idle session.
#[derive(Message)]
#[rtype(result = "()")]
pub struct CheckIdle(pub DateTime<Utc>);

/// Who is at the till, and whether the session is active or waiting for the PIN.
#[derive(Message)]
#[rtype(result = "Option<(Staff, &'static str)>")]
pub struct GetSession;

/// How long a login with an unknown ID waits for the staff table to be pulled from the central
/// database before it decides.
pub const STAFF_PULL_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

pub struct SessionActor {
    state: State,
    ledger: Addr<LedgerActor>,
    hub: EventHub,
    clock: SharedClock,
    hours: OpeningHours,
    hasher: Arc<PinHasher>,
    /// Asks the sync for the central staff table (`None`: no central database).
    staff_puller: Option<Recipient<super::sync::PullStaff>>,
    /// Whose drawer a login reports (`logged_in.drawer_session`).
    till_id: String,
}

/// What a login attempt came to, decided off the actor and applied on it.
enum Outcome {
    /// The staff member, and the till's open drawer session (`None`: none is open, so the
    /// screen asks a cashier for the float).
    Accepted(Staff, Option<i64>),
    Refused {
        reason: RefusalReason,
        message: Text,
        /// The language of the staff member trying to log in, when the ID is known.
        lang: Option<Lang>,
        until: Option<String>,
        attempts_left: Option<u32>,
    },
}

fn refused(reason: RefusalReason, message: Text, lang: Option<Lang>) -> Outcome {
    Outcome::Refused {
        reason,
        message,
        lang,
        until: None,
        attempts_left: None,
    }
}

impl SessionActor {
    pub fn new(
        ledger: Addr<LedgerActor>,
        hub: EventHub,
        clock: SharedClock,
        hours: OpeningHours,
        hasher: Arc<PinHasher>,
    ) -> SessionActor {
        SessionActor {
            state: State::LoggedOut,
            ledger,
            hub,
            clock,
            hours,
            hasher,
            staff_puller: None,
            till_id: String::new(),
        }
    }

    /// The till whose open drawer session each login reports.
    pub fn with_till_id(mut self, till_id: &str) -> SessionActor {
        self.till_id = till_id.to_owned();
        self
    }

    /// With a central database: an unknown ID pulls the staff table (at most
    /// [`STAFF_PULL_WAIT`]) before it is refused, so a cashier just added centrally can log in
    /// at once.
    pub fn with_staff_puller(mut self, puller: Recipient<super::sync::PullStaff>) -> SessionActor {
        self.staff_puller = Some(puller);
        self
    }
}

impl SessionActor {
    /// A login's checks for `id` and `pin` (PIN, lockout, opening hours), off the actor: what a
    /// login and an approval both ask.
    fn attempt(
        &self,
        id: String,
        pin: String,
    ) -> impl std::future::Future<Output = Outcome> + use<> {
        attempt(
            self.ledger.clone(),
            self.hasher.clone(),
            self.hours.clone(),
            self.clock.clone(),
            self.staff_puller.clone(),
            self.till_id.clone(),
            id,
            pin,
        )
    }
}

impl Actor for SessionActor {
    type Context = Context<Self>;
}

// Everything a login needs, each its own handle: a struct would only be unpacked here.
#[allow(clippy::too_many_arguments)]
async fn attempt(
    ledger: Addr<LedgerActor>,
    hasher: Arc<PinHasher>,
    hours: OpeningHours,
    clock: SharedClock,
    staff_puller: Option<Recipient<super::sync::PullStaff>>,
    till_id: String,
    id: String,
    pin: String,
) -> Outcome {
    let now = clock.now();
    let Ok(staff_id) = StaffId::parse(&id) else {
        return refused(
            RefusalReason::Unknown,
            Text::msg("login-unknown-id").arg("id", id),
            None,
        );
    };
    let lookup = || {
        let sid = staff_id.clone();
        ledger::run(&ledger, move |l| {
            Ok((l.staff_record(&sid)?, l.lock_state(&sid, now)?))
        })
    };
    let mut found = lookup().await;
    if let (Ok((None, _)), Some(puller)) = (&found, &staff_puller) {
        let pulled = tokio::time::timeout(STAFF_PULL_WAIT, puller.send(super::sync::PullStaff))
            .await
            .is_ok_and(|r| r.unwrap_or(false));
        if pulled {
            found = lookup().await;
        }
    }
    let (record, lock) = match found {
        Ok((Some(r), lock)) => (r, lock),
        Ok((None, _)) => {
            return refused(
                RefusalReason::Unknown,
                Text::msg("login-unknown-id").arg("id", staff_id.to_string()),
                None,
            );
        }
        Err(e) => {
            return refused(
                RefusalReason::Unknown,
                Text::Raw(format!("ledger error: {e}")),
                None,
            );
        }
    };
    let lang = Some(record.staff.lang);
    if !record.staff.active {
        return refused(
            RefusalReason::Disabled,
            Text::msg("login-disabled").arg("name", record.staff.name.clone()),
            lang,
        );
    }
    if let LockState::LockedUntil(until) = lock {
        let minutes = (until - now).num_minutes() + 1;
        return Outcome::Refused {
            reason: RefusalReason::LockedOut,
            message: Text::msg("login-locked").arg("minutes", minutes),
            lang,
            until: Some(crate::domain::sale::format_instant(until)),
            attempts_left: None,
        };
    }
    let pin_ok = match Pin::parse(&pin) {
        Ok(pin) => {
            let hash = record.pin_hash.clone();
            let h = hasher.clone();
            // Argon2 takes tens of milliseconds: keep it off the async executor.
            tokio::task::spawn_blocking(move || h.verify(&pin, &hash))
                .await
                .unwrap_or(false)
        }
        Err(_) => false,
    };
    if !pin_ok {
        let sid = staff_id.clone();
        let state = ledger::run(&ledger, move |l| l.record_pin_failure(&sid, now)).await;
        return match state {
            Ok(LockState::LockedUntil(until)) => Outcome::Refused {
                reason: RefusalReason::LockedOut,
                message: Text::msg("login-locked-now").arg("failures", MAX_PIN_FAILURES),
                lang,
                until: Some(crate::domain::sale::format_instant(until)),
                attempts_left: Some(0),
            },
            Ok(LockState::Free { failures }) => {
                let left = MAX_PIN_FAILURES.saturating_sub(failures);
                Outcome::Refused {
                    reason: RefusalReason::BadPin,
                    message: Text::msg("login-bad-pin").arg("attempts", left),
                    lang,
                    until: None,
                    attempts_left: Some(left),
                }
            }
            Err(e) => refused(
                RefusalReason::BadPin,
                Text::Raw(format!("ledger error: {e}")),
                lang,
            ),
        };
    }
    if record.staff.role.bound_by_opening_hours() && !hours.is_open(now) {
        return refused(
            RefusalReason::Closed,
            match hours.open_hours_on(now) {
                Some(today) => Text::msg("login-closed")
                    .arg("time", hours.local_time(now))
                    .arg("hours", today),
                None => Text::msg("login-closed-today").arg("time", hours.local_time(now)),
            },
            lang,
        );
    }
    let sid = staff_id.clone();
    if let Err(e) = ledger::run(&ledger, move |l| l.clear_pin_failures(&sid)).await {
        tracing::warn!(error = %e, "could not clear PIN failures");
    }
    let drawer = match ledger::run(&ledger, move |l| l.drawer_current(&till_id)).await {
        Ok(s) => s.map(|s| s.session_no),
        Err(e) => {
            tracing::warn!(error = %e, "could not read the drawer's state");
            None
        }
    };
    Outcome::Accepted(record.staff, drawer)
}

impl Handler<Login> for SessionActor {
    type Result = AtomicResponse<Self, Option<Staff>>;

    fn handle(&mut self, msg: Login, _: &mut Context<Self>) -> Self::Result {
        if let State::Active { staff, .. } = &self.state {
            let text = Text::msg("login-already").arg("name", staff.name.clone());
            self.hub.refuse(&Refusal::says("already_logged_in", text));
            return AtomicResponse::new(Box::pin(actix::fut::ready(None)));
        }
        let fut = self.attempt(msg.id.clone(), msg.pin);
        AtomicResponse::new(Box::pin(fut.into_actor(self).map(
            move |outcome, act, _| {
                let now = act.clock.now();
                let mut replaced = None;
                let (staff_id, action, detail) = match outcome {
                    Outcome::Accepted(staff, drawer_session) => {
                        if let State::Locked { staff: previous } = &act.state
                            && previous.id != staff.id
                        {
                            let id = previous.id.to_string();
                            act.ledger.do_send(ledger::LedgerJob::new(move |l| {
                                l.audit(now, Some(&id), "logout", "replaced")
                            }));
                            act.hub.emit(TillEvent::LoggedOut {
                                reason: "replaced".into(),
                            });
                            replaced = Some(previous.clone());
                        }
                        act.hub.set_session_lang(Some(staff.lang));
                        act.hub.emit(TillEvent::LoggedIn {
                            staff_id: staff.id.to_string(),
                            name: staff.name.clone(),
                            role: staff.role,
                            lang: staff.lang,
                            drawer_session,
                        });
                        let id = staff.id.to_string();
                        act.state = State::Active {
                            staff,
                            last_activity: now,
                        };
                        (Some(id), "login", String::new())
                    }
                    Outcome::Refused {
                        reason,
                        message,
                        lang,
                        until,
                        attempts_left,
                    } => {
                        let message = message.render(lang.unwrap_or(act.hub.till_lang()));
                        let action =
                            if reason == RefusalReason::LockedOut && attempts_left == Some(0) {
                                "lockout"
                            } else {
                                "login_refused"
                            };
                        let detail = format!("{reason:?}: {message}");
                        act.hub.emit(TillEvent::LoginRefused {
                            reason,
                            message,
                            until,
                            attempts_left,
                        });
                        (
                            StaffId::parse(&msg.id).ok().map(|s| s.to_string()),
                            action,
                            detail,
                        )
                    }
                };
                act.ledger.do_send(ledger::LedgerJob::new(move |l| {
                    l.audit(now, staff_id.as_deref(), action, &detail)
                }));
                replaced
            },
        )))
    }
}

/// A manager's ID and PIN, checked for an approval: the same PIN check and lockout as a login
/// (a wrong PIN counts towards the manager's lockout), without changing who is logged in.
/// Answers the staff member, whatever their role (the caller checks it is an admin).
#[derive(Message)]
#[rtype(result = "Result<Staff, Refusal>")]
pub struct Verify {
    pub id: String,
    pub pin: String,
    /// Who asked for the approval (audited with a refusal).
    pub asked_by: String,
}

impl Handler<Verify> for SessionActor {
    type Result = ResponseActFuture<Self, Result<Staff, Refusal>>;

    fn handle(&mut self, msg: Verify, _: &mut Context<Self>) -> Self::Result {
        let fut = self.attempt(msg.id.clone(), msg.pin);
        Box::pin(
            fut.into_actor(self)
                .map(move |outcome, act, _| match outcome {
                    Outcome::Accepted(staff, _) => Ok(staff),
                    Outcome::Refused {
                        reason,
                        message,
                        attempts_left,
                        ..
                    } => {
                        let code = match reason {
                            RefusalReason::Unknown => "unknown",
                            RefusalReason::BadPin => "bad_pin",
                            RefusalReason::LockedOut => "locked_out",
                            RefusalReason::Closed => "closed",
                            RefusalReason::Disabled => "disabled",
                        };
                        let now = act.clock.now();
                        let action =
                            if reason == RefusalReason::LockedOut && attempts_left == Some(0) {
                                "lockout"
                            } else {
                                "approval_refused"
                            };
                        let who = StaffId::parse(&msg.id).ok().map(|s| s.to_string());
                        let detail = format!("{code}: asked by {}", msg.asked_by);
                        act.ledger.do_send(ledger::LedgerJob::new(move |l| {
                            l.audit(now, who.as_deref(), action, &detail)
                        }));
                        Err(Refusal::says(code, message))
                    }
                }),
        )
    }
}

impl Handler<Authorize> for SessionActor {
    type Result = Result<Staff, Refusal>;

    fn handle(&mut self, _: Authorize, _: &mut Context<Self>) -> Self::Result {
        let now = self.clock.now();
        match &mut self.state {
            State::Active {
                staff,
                last_activity,
            } => {
                *last_activity = now;
                Ok(staff.clone())
            }
            State::Locked { staff } => Err(Refusal::says(
                "session_locked",
                Text::msg("session-locked")
                    .arg("minutes", IDLE_MINUTES)
                    .arg("name", staff.name.clone()),
            )),
            State::LoggedOut => Err(Refusal::says(
                "not_logged_in",
                Text::msg("session-not-logged-in"),
            )),
        }
    }
}

impl Handler<Logout> for SessionActor {
    type Result = Result<Staff, Refusal>;

    fn handle(&mut self, msg: Logout, _: &mut Context<Self>) -> Self::Result {
        let staff = match std::mem::replace(&mut self.state, State::LoggedOut) {
            State::Active { staff, .. } | State::Locked { staff } => staff,
            State::LoggedOut => {
                return Err(Refusal::says("not_logged_in", Text::msg("session-nobody")));
            }
        };
        let now = self.clock.now();
        let id = staff.id.to_string();
        let reason = msg.reason;
        self.ledger.do_send(ledger::LedgerJob::new(move |l| {
            l.audit(now, Some(&id), "logout", reason)
        }));
        self.hub.set_session_lang(None);
        self.hub.emit(TillEvent::LoggedOut {
            reason: reason.to_owned(),
        });
        Ok(staff)
    }
}

impl Handler<CheckIdle> for SessionActor {
    type Result = ();

    fn handle(&mut self, msg: CheckIdle, _: &mut Context<Self>) {
        if let State::Active {
            staff,
            last_activity,
        } = &self.state
            && msg.0 - *last_activity >= Duration::minutes(IDLE_MINUTES)
        {
            let staff = staff.clone();
            let id = staff.id.to_string();
            let now = msg.0;
            self.ledger.do_send(ledger::LedgerJob::new(move |l| {
                l.audit(now, Some(&id), "session_locked", "idle")
            }));
            self.hub.emit(TillEvent::SessionLocked {
                staff_id: staff.id.to_string(),
                reason: "idle".into(),
            });
            self.state = State::Locked { staff };
        }
    }
}

impl Handler<GetSession> for SessionActor {
    type Result = MessageResult<GetSession>;

    fn handle(&mut self, _: GetSession, _: &mut Context<Self>) -> Self::Result {
        MessageResult(match &self.state {
            State::LoggedOut => None,
            State::Active { staff, .. } => Some((staff.clone(), "active")),
            State::Locked { staff } => Some((staff.clone(), "locked")),
        })
    }
}
