-- Failed sign-ins, for throttling per account and per client address. Shared by every
-- app server through the database; rows older than the window no longer count.
CREATE TABLE login_failures (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    client_addr TEXT,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
CREATE INDEX login_failures_client ON login_failures (client_addr, failed_at);
