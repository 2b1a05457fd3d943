//! Signing in and staying signed in: password hashing, server-side sessions with the
//! signed-in person as an extractor, and CSRF protection for every POST.

pub mod csrf;
pub mod oidc;
pub mod password;
pub mod session;
pub mod session_cache;
pub mod totp;

pub use csrf::CsrfForm;
pub use password::PasswordHasher;
pub use session::CurrentUser;
