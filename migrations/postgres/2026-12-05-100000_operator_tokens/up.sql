-- A fourth kind of API token, operator: made by an operator for the operators' own
-- administration systems (suppliers, their services, the scope catalogue). It acts as its
-- maker while they are an operator, with the permissions `suppliers` and `scopes`.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_kind_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_kind_check
    CHECK (kind IN ('access_check', 'supplier', 'approver', 'operator'));
