//! Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane),
//! run on a small pool of their own so a burst of logins cannot starve the rest of the
//! site. An unknown email costs the same work as a wrong password.

use std::sync::{Arc, OnceLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};

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

/// Hashes and verifies passwords on a few dedicated threads, off the async workers.
/// The pool's size bounds how many hashes run at once (a burst of logins queues here
/// instead of taking every core), and keeping argon2's 19 MiB buffers on those few
/// threads keeps the allocator from holding a copy on every blocking thread.
#[derive(Clone)]
pub struct PasswordHasher {
    pool: Arc<rayon::ThreadPool>,
}

impl PasswordHasher {
    pub fn new(threads: usize) -> anyhow::Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .thread_name(|i| format!("password-hash-{i}"))
            .build()?;
        Ok(Self {
            pool: Arc::new(pool),
        })
    }

    /// Runs `work` on the hashing threads and waits for it without blocking a worker.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.pool.spawn(move || {
            let _ = done.send(work());
        });
        result.await.ok()
    }

    /// `stored` is `None` for an unknown account: the same work is done, and it fails.
    pub async fn verify(&self, password: String, stored: Option<String>) -> bool {
        self.run(move || verify_blocking(&password, stored.as_deref()))
            .await
            .unwrap_or(false)
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        self.run(move || hash(&password))
            .await
            .unwrap_or_else(|| Err(anyhow::anyhow!("the hashing pool stopped")))
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
