//! The staff table (a cache of the central one once sync lands) and the PIN lockout state.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, params};

use crate::domain::staff::{LOCKOUT_MINUTES, MAX_PIN_FAILURES};
use crate::domain::{Role, Staff, StaffId};

use super::{Ledger, StoreError, StoreResult, parse_ts, ts};

/// A staff row with its PIN hash (never the PIN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecord {
    pub staff: Staff,
    pub pin_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockState {
    Free { failures: u32 },
    LockedUntil(DateTime<Utc>),
}

fn role_from(s: &str) -> Result<Role, StoreError> {
    Role::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn lang_from(s: &str) -> Result<crate::i18n::Lang, StoreError> {
    crate::i18n::Lang::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Ledger {
    /// Adds a new staff member; an existing ID is a conflict (use `set_pin` / `set_staff_active`).
    pub fn add_staff(
        &mut self,
        staff: &Staff,
        pin_hash: &str,
        at: DateTime<Utc>,
        by: Option<&str>,
    ) -> StoreResult<()> {
        let tx = self.write_tx()?;
        let exists: bool = tx.query_row(
            "SELECT count(*) FROM staff WHERE id = ?1",
            [staff.id.as_str()],
            |r| r.get::<_, i64>(0),
        )? > 0;
        if exists {
            return Err(StoreError::Conflict(format!(
                "staff ID {} already exists",
                staff.id
            )));
        }
        tx.execute(
            "INSERT INTO staff (id, name, role, pin_hash, active, lang) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                staff.id.as_str(),
                staff.name,
                staff.role.as_str(),
                pin_hash,
                staff.active,
                staff.lang.as_str()
            ],
        )?;
        let detail = format!("{} {} ({})", staff.id, staff.name, staff.role.as_str());
        super::audit::audit_in(&tx, at, by, "staff_added", &detail)?;
        tx.commit()?;
        Ok(())
    }

    pub fn staff_record(&self, id: &StaffId) -> StoreResult<Option<StaffRecord>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT id, name, role, pin_hash, active, lang FROM staff WHERE id = ?1",
            )?
            .query_row([id.as_str()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .optional()?;
        row.map(|(id, name, role, pin_hash, active, lang)| {
            Ok(StaffRecord {
                staff: Staff {
                    id: StaffId::parse(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    name,
                    role: role_from(&role)?,
                    active,
                    lang: lang_from(&lang)?,
                },
                pin_hash,
            })
        })
        .transpose()
    }

    pub fn staff_list(&self) -> StoreResult<Vec<Staff>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, role, active, lang FROM staff ORDER BY CAST(id AS INTEGER)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, role, active, lang) = row?;
            out.push(Staff {
                id: StaffId::parse(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                name,
                role: role_from(&role)?,
                active,
                lang: lang_from(&lang)?,
            });
        }
        Ok(out)
    }

    pub fn set_staff_active(
        &mut self,
        id: &StaffId,
        active: bool,
        at: DateTime<Utc>,
        by: Option<&str>,
    ) -> StoreResult<()> {
        let tx = self.write_tx()?;
        let n = tx.execute(
            "UPDATE staff SET active = ?2, version = version + 1 WHERE id = ?1",
            params![id.as_str(), active],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("staff ID {id}")));
        }
        let action = if active {
            "staff_enabled"
        } else {
            "staff_disabled"
        };
        super::audit::audit_in(&tx, at, by, action, id.as_str())?;
        tx.commit()?;
        Ok(())
    }

    /// The language the till speaks to a staff member; audited `staff_lang`.
    pub fn set_staff_lang(
        &mut self,
        id: &StaffId,
        lang: crate::i18n::Lang,
        at: DateTime<Utc>,
        by: Option<&str>,
    ) -> StoreResult<()> {
        let tx = self.write_tx()?;
        let n = tx.execute(
            "UPDATE staff SET lang = ?2, version = version + 1 WHERE id = ?1",
            params![id.as_str(), lang.as_str()],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("staff ID {id}")));
        }
        let detail = format!("{id} {lang}");
        super::audit::audit_in(&tx, at, by, "staff_lang", &detail)?;
        tx.commit()?;
        Ok(())
    }

    /// Sets a new PIN hash (the admin's PIN reset) and lifts any lockout; audited `pin_reset`.
    pub fn set_staff_pin(
        &mut self,
        id: &StaffId,
        pin_hash: &str,
        at: DateTime<Utc>,
        by: Option<&str>,
    ) -> StoreResult<()> {
        let tx = self.write_tx()?;
        let n = tx.execute(
            "UPDATE staff SET pin_hash = ?2, version = version + 1 WHERE id = ?1",
            params![id.as_str(), pin_hash],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("staff ID {id}")));
        }
        tx.execute(
            "DELETE FROM pin_failures WHERE staff_id = ?1",
            [id.as_str()],
        )?;
        super::audit::audit_in(&tx, at, by, "pin_reset", id.as_str())?;
        tx.commit()?;
        Ok(())
    }

    pub fn staff_count(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM staff", [], |r| r.get(0))?)
    }

    pub fn lock_state(&self, id: &StaffId, now: DateTime<Utc>) -> StoreResult<LockState> {
        let row: Option<(u32, Option<String>)> = self
            .conn
            .prepare_cached("SELECT failures, locked_until FROM pin_failures WHERE staff_id = ?1")?
            .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match row {
            None => Ok(LockState::Free { failures: 0 }),
            Some((_, Some(until))) => {
                let until = parse_ts(&until)?;
                if until > now {
                    Ok(LockState::LockedUntil(until))
                } else {
                    Ok(LockState::Free { failures: 0 })
                }
            }
            Some((failures, None)) => Ok(LockState::Free { failures }),
        }
    }

    /// Counts a wrong PIN; the fifth in a row locks the ID for 15 minutes. Returns the new state.
    pub fn record_pin_failure(
        &mut self,
        id: &StaffId,
        now: DateTime<Utc>,
    ) -> StoreResult<LockState> {
        let tx = self.write_tx()?;
        let prev: Option<(u32, Option<String>)> = tx
            .query_row(
                "SELECT failures, locked_until FROM pin_failures WHERE staff_id = ?1",
                [id.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        // An expired lock starts a fresh count.
        let failures = match prev {
            Some((_, Some(_))) | None => 1,
            Some((n, None)) => n + 1,
        };
        let state = if failures >= MAX_PIN_FAILURES {
            let until =
                crate::domain::sale::truncate_to_millis(now + Duration::minutes(LOCKOUT_MINUTES));
            tx.execute(
                "INSERT INTO pin_failures (staff_id, failures, locked_until) VALUES (?1, ?2, ?3)
                 ON CONFLICT (staff_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
                params![id.as_str(), failures, ts(until)],
            )?;
            LockState::LockedUntil(until)
        } else {
            tx.execute(
                "INSERT INTO pin_failures (staff_id, failures, locked_until) VALUES (?1, ?2, NULL)
                 ON CONFLICT (staff_id) DO UPDATE SET failures = excluded.failures, locked_until = NULL",
                params![id.as_str(), failures],
            )?;
            LockState::Free { failures }
        };
        tx.commit()?;
        Ok(state)
    }

    /// A successful login, or an admin's unlock, clears the count.
    pub fn clear_pin_failures(&mut self, id: &StaffId) -> StoreResult<bool> {
        Ok(self.conn.execute(
            "DELETE FROM pin_failures WHERE staff_id = ?1",
            [id.as_str()],
        )? > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::ledger;

    #[test]
    fn five_wrong_pins_lock_for_fifteen_minutes() {
        let (_d, mut l) = ledger();
        let id = StaffId::parse("14").unwrap();
        let now = Utc::now();
        for i in 1..5 {
            assert_eq!(
                l.record_pin_failure(&id, now).unwrap(),
                LockState::Free { failures: i }
            );
        }
        let locked = l.record_pin_failure(&id, now).unwrap();
        assert_eq!(
            locked,
            LockState::LockedUntil(crate::domain::sale::truncate_to_millis(
                now + Duration::minutes(15)
            ))
        );
        assert!(matches!(
            l.lock_state(&id, now + Duration::minutes(14)).unwrap(),
            LockState::LockedUntil(_)
        ));
        assert_eq!(
            l.lock_state(&id, now + Duration::minutes(16)).unwrap(),
            LockState::Free { failures: 0 }
        );
        assert!(l.clear_pin_failures(&id).unwrap());
        assert_eq!(
            l.lock_state(&id, now).unwrap(),
            LockState::Free { failures: 0 }
        );
    }

    #[test]
    fn staff_ids_are_unique_and_disable_is_audited() {
        let (_d, mut l) = ledger();
        let s = Staff {
            id: StaffId::parse("2").unwrap(),
            name: "AYMAN".into(),
            role: Role::Cashier,
            active: true,
            lang: crate::i18n::Lang::Fr,
        };
        l.add_staff(&s, "$argon2id$x", Utc::now(), None).unwrap();
        assert!(matches!(
            l.add_staff(&s, "$argon2id$x", Utc::now(), None),
            Err(StoreError::Conflict(_))
        ));
        l.set_staff_active(&s.id, false, Utc::now(), Some("1"))
            .unwrap();
        assert!(!l.staff_record(&s.id).unwrap().unwrap().staff.active);
        assert!(matches!(
            l.set_staff_active(&StaffId::parse("99").unwrap(), false, Utc::now(), None),
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(l.audit_log(1).unwrap()[0].action, "staff_disabled");
    }

    #[test]
    fn a_pin_reset_replaces_the_hash_lifts_the_lockout_and_is_audited() {
        let (_d, mut l) = ledger();
        let s = Staff {
            id: StaffId::parse("2").unwrap(),
            name: "AYMAN".into(),
            role: Role::Cashier,
            active: true,
            lang: crate::i18n::Lang::Fr,
        };
        l.add_staff(&s, "$argon2id$old", Utc::now(), None).unwrap();
        let now = Utc::now();
        for _ in 0..MAX_PIN_FAILURES {
            l.record_pin_failure(&s.id, now).unwrap();
        }
        assert!(matches!(
            l.lock_state(&s.id, now).unwrap(),
            LockState::LockedUntil(_)
        ));
        l.set_staff_pin(&s.id, "$argon2id$new", now, Some("1"))
            .unwrap();
        assert_eq!(
            l.staff_record(&s.id).unwrap().unwrap().pin_hash,
            "$argon2id$new"
        );
        assert_eq!(
            l.lock_state(&s.id, now).unwrap(),
            LockState::Free { failures: 0 }
        );
        assert_eq!(l.audit_log(1).unwrap()[0].action, "pin_reset");
        assert!(matches!(
            l.set_staff_pin(&StaffId::parse("99").unwrap(), "h", now, None),
            Err(StoreError::NotFound(_))
        ));
    }
}
