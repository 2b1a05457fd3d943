-- A renewal is a request the supplier files from an open agreement, carrying its service,
-- scopes and purpose and a new wished period; approving it moves the same agreement's end
-- date (the reference, scopes and history stay).
ALTER TABLE requests ADD COLUMN renews_agreement_id TEXT;
