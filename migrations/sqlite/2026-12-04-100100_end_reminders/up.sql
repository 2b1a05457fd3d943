-- Which end-date reminders went out: one row per agreement, end date and number of days
-- before it, written in the transaction that queues the mail, so a restart never sends
-- one twice and a renewal that moves the end date gets its own reminders.
CREATE TABLE agreement_end_reminders (
    agreement_id TEXT NOT NULL REFERENCES agreements (id),
    ends_on DATE NOT NULL,
    days_before INTEGER NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (agreement_id, ends_on, days_before)
);
CREATE INDEX agreements_open_ends_on ON agreements (ends_on) WHERE status IN ('active', 'suspended');
