-- A fourth kind of API token, operator: made by an operator for the operators' own
-- administration systems (suppliers, their services, the scope catalogue). It acts as its
-- maker while they are an operator, with the permissions `suppliers` and `scopes`.
-- SQLite cannot change a CHECK constraint, so the table is rebuilt (nothing refers to it).
CREATE TABLE api_tokens_next (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('access_check', 'supplier', 'approver', 'operator')),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    supplier_id TEXT REFERENCES suppliers (id),
    -- Space-separated permission codes.
    permissions TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_by TEXT REFERENCES users (id),
    last_used_at TIMESTAMP,
    CHECK ((kind = 'supplier') = (supplier_id IS NOT NULL))
);
INSERT INTO api_tokens_next
    SELECT id, kind, name, token_hash, supplier_id, permissions, created_by, created_at,
           expires_at, revoked_at, revoked_by, last_used_at
    FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_next RENAME TO api_tokens;
CREATE INDEX api_tokens_created_by ON api_tokens (created_by, created_at);
CREATE INDEX api_tokens_supplier ON api_tokens (supplier_id, created_at);
CREATE INDEX api_tokens_kind ON api_tokens (kind, created_at);
