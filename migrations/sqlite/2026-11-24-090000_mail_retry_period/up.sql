-- Mail is retried for a period from its first failure, not for a number of attempts:
-- failing_since is when the failures began (cleared when an operator retries the message).
ALTER TABLE mail_messages ADD COLUMN failing_since TIMESTAMP;
UPDATE mail_messages SET failing_since = created_at
    WHERE status = 'pending' AND last_error IS NOT NULL;
