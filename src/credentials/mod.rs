//! What proves who a user is: password hashing, access tokens and refresh tokens, and the
//! sign-in rate limits.

pub mod password;
pub mod ratelimit;
pub mod tokens;
