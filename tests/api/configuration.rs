//! Configuration says what is wrong: the real binary, started with a mistyped variable, a
//! value out of range, a short import token or a retired name (in the environment or in
//! the `TILSLUTNING_CONFIG` file), stops at once with a non-zero exit and a message naming
//! the variable, and creates nothing — no SQLite file beside a production configuration.

use std::time::{Duration, Instant};

use crate::helpers::*;

/// Runs `tilslutning serve` in an empty folder with `vars`; returns (exit success, stderr,
/// what the folder holds afterwards). A start that is not refused is stopped after 20 s.
fn serve_with(vars: &[(&str, String)]) -> (bool, String, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let logs = tempfile::tempdir().expect("log dir");
    let stderr = logs.path().join("serve.stderr");
    let mut command = tilslutning_binary();
    command
        .arg("serve")
        .current_dir(dir.path())
        .env("TILSLUTNING_BIND", "127.0.0.1:0")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&stderr).expect("stderr file"));
    for (key, value) in vars {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("the binary starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    let success = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.success();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break true;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let message = std::fs::read_to_string(&stderr).unwrap_or_default();
    (success, message, walk(dir.path()))
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        found.push(entry.path().display().to_string());
        if entry.path().is_dir() {
            found.extend(walk(&entry.path()));
        }
    }
    found
}

#[test]
fn a_mistyped_variable_stops_the_start_naming_it_and_creates_nothing() {
    let (success, message, left) = serve_with(&[(
        "TILSLUTNING_DATABSE_URL",
        "postgres://tilslutning@db.invalid/tilslutning".into(),
    )]);
    assert!(!success, "the start is refused");
    assert!(
        message.contains("TILSLUTNING_DATABSE_URL is not a setting")
            && message.contains("did you mean TILSLUTNING_DATABASE_URL?"),
        "{message}"
    );
    assert!(left.is_empty(), "nothing was created: {left:?}");
}

#[test]
fn bad_values_stop_the_start_naming_the_variable() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "TILSLUTNING_DB_POOL_SIZE",
            "0",
            "TILSLUTNING_DB_POOL_SIZE must be between 1 and 1000",
        ),
        (
            "TILSLUTNING_IMPORT_TOKEN",
            "short",
            "TILSLUTNING_IMPORT_TOKEN must be at least 24 characters",
        ),
        (
            "TILSLUTNING_BEHIND_PROXY",
            "yes",
            "TILSLUTNING_BEHIND_PROXY:",
        ),
        (
            "TILSLUTNING_MAIL_MAX_ATTEMPTS",
            "8",
            "TILSLUTNING_MAIL_MAX_ATTEMPTS is no longer read",
        ),
    ];
    for (key, value, expected) in cases {
        let (success, message, left) = serve_with(&[(key, value.into())]);
        assert!(!success, "{key}={value} is refused");
        assert!(message.contains(expected), "{key}={value}: {message}");
        assert!(left.is_empty(), "{key}={value} created {left:?}");
    }
}

#[test]
fn a_typo_in_the_config_file_is_named_too() {
    let file = tempfile::NamedTempFile::new().expect("config file");
    std::fs::write(
        file.path(),
        "TILSLUTNING_BIND=127.0.0.1:0\nTILSLUTNING_DIGEST_HOURS=7\n",
    )
    .expect("write");
    let (success, message, left) =
        serve_with(&[("TILSLUTNING_CONFIG", file.path().display().to_string())]);
    assert!(!success);
    assert!(
        message.contains(
            "TILSLUTNING_DIGEST_HOURS is not a setting (did you mean TILSLUTNING_DIGEST_HOUR?)"
        ),
        "{message}"
    );
    assert!(left.is_empty(), "{left:?}");
}
