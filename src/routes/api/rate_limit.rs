//! How many calls one token may make a minute on this app server
//! (`TILSLUTNING_API_CALLS_PER_MINUTE`, also its largest burst), and how many refused
//! tokens one client address may present (`TILSLUTNING_API_REFUSED_TOKENS_PER_MINUTE`).
//! A call over either limit is answered 429 with `Retry-After`, before it reaches the
//! database.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct CallLimit {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl CallLimit {
    pub fn per_minute(calls: u32) -> Self {
        let calls = NonZeroU32::new(calls).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(calls)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one call of the token; Err with how long to wait when it has none left.
    pub fn take(&self, token_id: &str) -> Result<(), Duration> {
        self.limiter
            .check_key(&token_id.to_string())
            .map_err(|refused| refused.wait_time_from(self.clock.now()))
    }
}

/// Client addresses that presented too many refused tokens, held back until their
/// minute has passed, so guessing at tokens costs the database nothing.
pub struct RefusedTokens {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
    held_back: moka::sync::Cache<String, Instant>,
}

impl RefusedTokens {
    pub fn per_minute(refusals: u32) -> Self {
        let refusals = NonZeroU32::new(refusals).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(refusals)),
            clock: DefaultClock::default(),
            held_back: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(Duration::from_secs(60))
                .build(),
        }
    }

    /// Err with how long to wait while `client` is held back.
    pub fn check(&self, client: &str) -> Result<(), Duration> {
        match self.held_back.get(client) {
            Some(until) => match until.checked_duration_since(Instant::now()) {
                Some(wait) if !wait.is_zero() => Err(wait),
                _ => Ok(()),
            },
            None => Ok(()),
        }
    }

    /// Counts a refused token from `client`; past the limit it is held back.
    pub fn refused(&self, client: &str) {
        if let Err(not_until) = self.limiter.check_key(&client.to_string()) {
            let wait = not_until.wait_time_from(self.clock.now());
            self.held_back
                .insert(client.to_string(), Instant::now() + wait);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_presenting_refused_tokens_is_held_back_past_its_limit_alone() {
        let refused = RefusedTokens::per_minute(2);
        for _ in 0..2 {
            assert_eq!(refused.check("192.0.2.1"), Ok(()));
            refused.refused("192.0.2.1");
        }
        assert_eq!(
            refused.check("192.0.2.1"),
            Ok(()),
            "the limit itself is allowed"
        );
        refused.refused("192.0.2.1");
        let wait = refused.check("192.0.2.1").expect_err("held back");
        assert!(
            wait > Duration::from_secs(20) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(refused.check("192.0.2.2"), Ok(()), "another address is not");
    }

    #[test]
    fn a_token_gets_its_burst_then_waits_and_others_are_not_held_up() {
        let limit = CallLimit::per_minute(3);
        for _ in 0..3 {
            assert_eq!(limit.take("a"), Ok(()));
        }
        let wait = limit.take("a").expect_err("the fourth call is refused");
        assert!(
            wait > Duration::from_secs(15) && wait <= Duration::from_secs(20),
            "one call comes back every 20 s: {wait:?}"
        );
        assert_eq!(limit.take("b"), Ok(()), "another token has its own count");
    }
}
