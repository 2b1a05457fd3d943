//! How many calls one token may make a minute on this app server
//! (`TILSLUTNING_API_CALLS_PER_MINUTE`, also its largest burst). A call over the limit is
//! answered 429 with `Retry-After`, before it reaches the database.

use std::num::NonZeroU32;
use std::time::Duration;

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

#[cfg(test)]
mod tests {
    use super::*;

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
