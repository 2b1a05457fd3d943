DELETE FROM api_tokens WHERE kind = 'operator';
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_kind_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_kind_check
    CHECK (kind IN ('access_check', 'supplier', 'approver'));
