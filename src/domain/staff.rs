//! Staff: who may use the till, with which role, and the rules for IDs and PINs.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error("staff ID '{0}' must be 1 to 8 digits")]
    BadId(String),
    #[error("a PIN is 4 to 8 digits")]
    BadPin,
    #[error("role '{0}' is not cashier or admin")]
    BadRole(String),
    #[error("staff name is empty or longer than 40 characters")]
    BadName,
}

impl StaffError {
    /// What to tell a person, in their language (the `Display` text is for logs).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            StaffError::BadId(v) => Text::msg("staff-bad-id").arg("value", v.as_str()),
            StaffError::BadPin => Text::msg("staff-bad-pin"),
            StaffError::BadRole(v) => Text::msg("staff-bad-role").arg("value", v.as_str()),
            StaffError::BadName => Text::msg("staff-bad-name"),
        }
    }
}

/// A staff member's numeric ID as typed on the keypad (`1`, `14`), kept as text without leading
/// zeros so `014` and `14` are the same person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StaffId(String);

impl StaffId {
    pub fn parse(s: &str) -> Result<StaffId, StaffError> {
        let t = s.trim();
        if t.is_empty() || t.len() > 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StaffError::BadId(s.to_owned()));
        }
        let n: u32 = t.parse().map_err(|_| StaffError::BadId(s.to_owned()))?;
        Ok(StaffId(n.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StaffId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A PIN as typed: 4 to 8 digits. Its `Debug` never shows the digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    pub fn parse(s: &str) -> Result<Pin, StaffError> {
        let t = s.trim();
        if !(4..=8).contains(&t.len()) || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StaffError::BadPin);
        }
        Ok(Pin(t.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(****)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Cashier,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Result<Role, StaffError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cashier" => Ok(Role::Cashier),
            "admin" => Ok(Role::Admin),
            _ => Err(StaffError::BadRole(s.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Admin => "admin",
        }
    }

    /// The administrator may log in at any hour (to read reports); cashiers only when open.
    pub fn bound_by_opening_hours(self) -> bool {
        self == Role::Cashier
    }
}

pub fn parse_staff_name(s: &str) -> Result<String, StaffError> {
    let t: String = s.trim().chars().filter(|c| !c.is_control()).collect();
    if t.is_empty() || t.chars().count() > 40 {
        return Err(StaffError::BadName);
    }
    Ok(t)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// The language the till speaks to this person once logged in.
    pub lang: crate::i18n::Lang,
}

/// How many wrong PINs in a row lock an ID, and for how long.
pub const MAX_PIN_FAILURES: u32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;
/// An idle session asks for the PIN again after this long (the basket is kept).
pub const IDLE_MINUTES: i64 = 15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_numeric_and_normalised() {
        assert_eq!(StaffId::parse("014").unwrap().as_str(), "14");
        assert!(StaffId::parse("").is_err());
        assert!(StaffId::parse("1a").is_err());
        assert!(StaffId::parse("123456789").is_err());
    }

    #[test]
    fn pins_are_4_to_8_digits_and_never_printed() {
        assert!(Pin::parse("1414").is_ok());
        assert!(Pin::parse("123").is_err());
        assert!(Pin::parse("123456789").is_err());
        assert!(Pin::parse("12a4").is_err());
        assert_eq!(format!("{:?}", Pin::parse("1414").unwrap()), "Pin(****)");
    }

    #[test]
    fn roles_parse_and_only_cashiers_are_bound_by_hours() {
        assert_eq!(Role::parse("Admin"), Ok(Role::Admin));
        assert!(Role::parse("boss").is_err());
        assert!(Role::Cashier.bound_by_opening_hours());
        assert!(!Role::Admin.bound_by_opening_hours());
    }
}
