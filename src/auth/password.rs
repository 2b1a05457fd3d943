//! Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane),
//! run on the blocking pool and bounded by a semaphore so a burst of logins cannot
//! starve the rest of the site. An unknown email costs the same work as a wrong password.

use std::sync::{Arc, OnceLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;

pub fn hash(password: &str) -> anyhow::Result<String> {
    let mut bytes = [0_u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("encoding salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

fn verify_blocking(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("no such account").unwrap_or_default());
    let (stored, real) = match stored {
        Some(s) => (s, true),
        None => (dummy.as_str(), false),
    };
    let matches = PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    real && matches
}

/// Verifies passwords off the async workers, a bounded number at a time.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    pub fn new(concurrent: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrent.max(1))),
        }
    }

    /// `stored` is `None` for an unknown account: the same work is done, and it fails.
    pub async fn verify(&self, password: String, stored: Option<String>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        actix_web::web::block(move || verify_blocking(&password, stored.as_deref()))
            .await
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_the_right_password() {
        let stored = hash("korrekt hest batteri").expect("hash");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_blocking("korrekt hest batteri", Some(&stored)));
        assert!(!verify_blocking("forkert", Some(&stored)));
        assert!(!verify_blocking("no such account", None));
    }
}
