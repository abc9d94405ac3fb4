//! Request rate limiting per caller (a configured token, or the client an issued token belongs
//! to), with the API's two 429 object bodies.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::api::error::ApiError;
use crate::clock;
use crate::config::RateLimit;

/// Recent request times and daily counts per token.
#[derive(Debug, Default)]
pub struct RateTracker {
    recent: HashMap<String, VecDeque<Instant>>,
    daily: HashMap<String, (i64, u32)>,
}

impl RateTracker {
    /// Counts one request by `token`; refuses it when a limit is exceeded.
    pub fn admit(&mut self, token: &str, limit: RateLimit) -> Result<(), ApiError> {
        let today = clock::now_secs().div_euclid(86_400);
        let (day, count) = self.daily.entry(token.to_string()).or_insert((today, 0));
        if *day != today {
            *day = today;
            *count = 0;
        }
        if *count >= limit.per_day {
            return Err(ApiError::object(429, "quota_exceeded", "Limit Exceeded"));
        }

        let now = Instant::now();
        let window = self.recent.entry(token.to_string()).or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            window.pop_front();
        }
        if window.len() >= limit.per_second as usize {
            return Err(ApiError::object(429, "throttled", "Too Many Requests"));
        }
        window.push_back(now);
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttles_then_exhausts_quota() {
        let mut tracker = RateTracker::default();
        let limit = RateLimit {
            per_second: 2,
            per_day: 3,
        };
        assert!(tracker.admit("t", limit).is_ok());
        assert!(tracker.admit("t", limit).is_ok());
        let throttled = tracker.admit("t", limit).unwrap_err();
        assert_eq!(throttled.body["error_key"], "throttled");
        assert!(tracker.admit("other", limit).is_ok());
        std::thread::sleep(Duration::from_millis(1050));
        assert!(tracker.admit("t", limit).is_ok());
        let quota = tracker.admit("t", limit).unwrap_err();
        assert_eq!(quota.status, 429);
        assert_eq!(quota.body["error_key"], "quota_exceeded");
    }
}
