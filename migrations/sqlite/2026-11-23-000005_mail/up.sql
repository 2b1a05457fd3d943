-- Mail. The outbox holds events written in the same transaction as the change that
-- causes them; the mail worker expands each event, in one transaction, into one message
-- per recipient, and delivers each message on its own with retries.
-- Events written before this migration (development databases only) are not carried over.
DROP TABLE outbox;
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    processed_at TIMESTAMP
);
CREATE INDEX outbox_unprocessed ON outbox (processed_at, created_at);

CREATE TABLE mail_messages (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT,
    recipient TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('da', 'en')),
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- held: waiting for the recipient's daily digest; digested: sent inside a digest.
    status TEXT NOT NULL CHECK (status IN ('held', 'pending', 'sent', 'undeliverable', 'digested')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX mail_messages_due ON mail_messages (status, next_attempt_at);
CREATE INDEX mail_messages_recipient ON mail_messages (recipient, status);

-- Shared mailboxes (e.g. one that feeds a ticket system) for an institution or municipality.
CREATE TABLE notification_addresses (
    id TEXT PRIMARY KEY NOT NULL,
    institution_number TEXT REFERENCES institutions (number),
    municipality_code TEXT REFERENCES municipalities (code),
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (institution_number IS NOT NULL OR municipality_code IS NOT NULL)
);

ALTER TABLE users ADD COLUMN mail_digest BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE requests ADD COLUMN reminded_at TIMESTAMP;
