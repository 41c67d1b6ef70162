//! Sign-in rate limits, per client IP and per email, with governor's keyed GCRA limiters.
//! Limits are per process; behind a load balancer each node enforces its own share.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct SigninLimiter {
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    by_email: DefaultKeyedRateLimiter<String>,
}

impl SigninLimiter {
    pub fn new(per_minute_ip: u32, per_minute_email: u32) -> Self {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            by_ip: RateLimiter::keyed(quota(per_minute_ip)),
            by_email: RateLimiter::keyed(quota(per_minute_email)),
        }
    }

    /// `Err(wait)` when this attempt is over either limit.
    pub fn check(&self, ip: IpAddr, email: &str) -> Result<(), Duration> {
        let clock = DefaultClock::default();
        let ip_result = self.by_ip.check_key(&ip);
        let email_result = self.by_email.check_key(&email.to_lowercase());
        let wait = [ip_result.err(), email_result.err()]
            .into_iter()
            .flatten()
            .map(|not_until| not_until.wait_time_from(clock.now()))
            .max();
        match wait {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// Forgets keys that have fully recovered, so memory stays bounded.
    pub fn prune(&self) {
        self.by_ip.retain_recent();
        self.by_email.retain_recent();
    }
}
