ALTER TABLE mail_messages DROP COLUMN failing_since;
