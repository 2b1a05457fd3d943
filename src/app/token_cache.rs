//! The API tokens this app server has looked up lately, by the hash of their secret, so a
//! busy caller costs no token lookup on most calls. An entry is trusted for the configured
//! time (`TILSLUTNING_API_TOKEN_CACHE_MS`); expiry is checked on every call, and a revoked
//! token is forgotten at once on the server that revoked it and within that time on others.

use std::time::Duration;

use crate::db::api_tokens::{ApiToken, TOKEN_PREFIX, hash_secret};

/// At most this many tokens are kept; more are looked up again.
const CAPACITY: u64 = 10_000;

#[derive(Clone)]
pub struct TokenCache {
    /// None when caching is off.
    tokens: Option<moka::sync::Cache<String, ApiToken>>,
}

/// A secret as the cache and the store know it.
pub struct Secret {
    pub hash: String,
}

impl Secret {
    /// None for a text that cannot be a token, so it is refused without a lookup.
    pub fn of(text: &str) -> Option<Self> {
        text.starts_with(TOKEN_PREFIX).then(|| Self {
            hash: hash_secret(text),
        })
    }
}

impl TokenCache {
    pub fn new(trusted_for: Duration) -> Self {
        Self {
            tokens: (!trusted_for.is_zero()).then(|| {
                moka::sync::Cache::builder()
                    .max_capacity(CAPACITY)
                    .time_to_live(trusted_for)
                    .build()
            }),
        }
    }

    /// The token as last read, while it is trusted and live.
    pub fn get(&self, secret: &Secret) -> Option<ApiToken> {
        let token = self.tokens.as_ref()?.get(&secret.hash)?;
        token.is_live(crate::db::now()).then_some(token)
    }

    pub fn keep(&self, secret: &Secret, token: &ApiToken) {
        if let Some(tokens) = &self.tokens {
            tokens.insert(secret.hash.clone(), token.clone());
        }
    }

    /// Forgets every token (after one is revoked here: the next call reads it again).
    pub fn forget_all(&self) {
        if let Some(tokens) = &self.tokens {
            tokens.invalidate_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(expires_in: time::Duration) -> ApiToken {
        let now = crate::db::now();
        ApiToken {
            id: "t1".into(),
            kind: "access_check".into(),
            name: "Dataudbyder".into(),
            supplier_id: None,
            permissions: "access".into(),
            created_by: "u1".into(),
            created_at: now,
            expires_at: now + expires_in,
            revoked_at: None,
            last_used_at: None,
        }
    }

    #[test]
    fn a_kept_token_is_given_back_only_while_live_and_until_forgotten() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let live = Secret::of("tsk_live").expect("a token's form");
        let expired = Secret::of("tsk_expired").expect("a token's form");
        cache.keep(&live, &token(time::Duration::hours(1)));
        cache.keep(&expired, &token(time::Duration::seconds(-1)));
        assert!(cache.get(&live).is_some());
        assert!(
            cache.get(&expired).is_none(),
            "expiry is checked on every call"
        );
        cache.forget_all();
        assert!(cache.get(&live).is_none());
    }

    #[test]
    fn off_keeps_nothing_and_a_text_without_the_prefix_is_no_secret() {
        let cache = TokenCache::new(Duration::ZERO);
        let secret = Secret::of("tsk_x").expect("a token's form");
        cache.keep(&secret, &token(time::Duration::hours(1)));
        assert!(cache.get(&secret).is_none());
        assert!(Secret::of("Bearer x").is_none());
    }
}
