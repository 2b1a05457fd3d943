ALTER TABLE requests DROP COLUMN reminded_at;
ALTER TABLE users DROP COLUMN mail_digest;
DROP TABLE notification_addresses;
DROP TABLE mail_messages;
DROP TABLE outbox;
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'undeliverable')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
