-- Shared mailboxes registered by an institution's staff or a municipality's officers: a
-- label, the language their mail is written in, and which notifications each receives.
ALTER TABLE notification_addresses ADD COLUMN label TEXT;
ALTER TABLE notification_addresses ADD COLUMN language TEXT NOT NULL DEFAULT 'da' CHECK (language IN ('da', 'en'));
ALTER TABLE notification_addresses ADD COLUMN new_requests BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE notification_addresses ADD COLUMN reminders BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE notification_addresses ADD COLUMN outcomes BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE notification_addresses ADD COLUMN created_by TEXT;
CREATE UNIQUE INDEX notification_addresses_institution_email
    ON notification_addresses (institution_number, email) WHERE institution_number IS NOT NULL;
CREATE UNIQUE INDEX notification_addresses_municipality_email
    ON notification_addresses (municipality_code, email) WHERE institution_number IS NULL;

-- Escalation of requests left pending: to the municipality, then to the operators, once each.
ALTER TABLE requests ADD COLUMN escalated_at TIMESTAMP;
ALTER TABLE requests ADD COLUMN escalated_to_operators_at TIMESTAMP;
CREATE INDEX requests_escalation ON requests (status, filed_at) WHERE escalated_to_operators_at IS NULL;
