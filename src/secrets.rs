//! Secrets and PIN hashing. Secrets (the PIN pepper today; database URLs and till keys later)
//! live in [`Secret`], whose `Debug` and `Display` never show the value. PINs are hashed with
//! Argon2id and a pepper kept outside the SQLite file, so a copied ledger alone does not let an
//! attacker brute-force the 4-8 digit PINs offline.

use std::fmt;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::Pin;

/// The file in a data dir that holds the PIN pepper the data dir invented for itself (when no
/// `KACHING_PIN_PEPPER` is set; see `cli::pin_hasher`).
pub const PEPPER_FILE: &str = "pin_pepper";

/// A value that must never reach a log.
#[derive(Clone, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A database URL fit for a log or an error message: the password replaced by `***`.
pub fn redacted_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

/// [`redacted_url`] for a URL that may name several hosts (`mysql://u:pw@db1,db2/x`): each
/// host's URL without its password, joined with ", ".
pub fn redacted_urls(url: &str) -> String {
    match crate::mysql_hosts::split_hosts(url, &[]) {
        Ok(urls) => urls
            .iter()
            .map(|u| redacted_url(u))
            .collect::<Vec<_>>()
            .join(", "),
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PinHashError {
    #[error("the PIN pepper is too long")]
    Pepper,
    #[error("hashing failed: {0}")]
    Hash(String),
}

/// Hashes and checks PINs with Argon2id (19 MiB, t=2, p=1) and the shop's pepper.
#[derive(Clone, Debug)]
pub struct PinHasher {
    pepper: Secret,
}

impl PinHasher {
    pub fn new(pepper: Secret) -> PinHasher {
        PinHasher { pepper }
    }

    fn argon(&self) -> Result<Argon2<'_>, PinHashError> {
        Argon2::new_with_secret(
            self.pepper.expose().as_bytes(),
            Algorithm::Argon2id,
            Version::V0x13,
            Params::default(),
        )
        .map_err(|_| PinHashError::Pepper)
    }

    pub fn hash(&self, pin: &Pin) -> Result<String, PinHashError> {
        let hash = self
            .argon()?
            .hash_password(pin.expose().as_bytes())
            .map_err(|e| PinHashError::Hash(e.to_string()))?;
        Ok(hash.to_string())
    }

    /// True when `pin` matches `hash`. A malformed stored hash is a mismatch, never a panic.
    pub fn verify(&self, pin: &Pin, hash: &str) -> bool {
        match self.argon() {
            Ok(a) => a.verify_password(pin.expose().as_bytes(), hash).is_ok(),
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_verifies_only_with_the_same_pepper() {
        let h = PinHasher::new(Secret::new("pepper-a"));
        let pin = Pin::parse("1414").unwrap();
        let hash = h.hash(&pin).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(h.verify(&pin, &hash));
        assert!(!h.verify(&Pin::parse("1415").unwrap(), &hash));
        assert!(!PinHasher::new(Secret::new("pepper-b")).verify(&pin, &hash));
        assert!(!h.verify(&pin, "not a hash"));
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            format!("{:?}", Secret::new("hunter2")),
            "Secret([redacted])"
        );
    }
}
