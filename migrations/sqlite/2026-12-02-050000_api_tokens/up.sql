-- API tokens: how machines call /api/v1. Only the SHA-256 of a token is kept; it is shown
-- once when made. A token is one of three kinds:
--   access_check: made by an operator for a data provider; asks the access check and the
--                 agreement change feed, nothing else;
--   supplier:     made by a supplier admin for the supplier's own systems; acts for the
--                 supplier within `permissions`, and only while its maker still works there;
--   approver:     made by an officer or institution staff member for their robots; acts as
--                 that person, with that person's rights as they are at each call.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('access_check', 'supplier', 'approver')),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    supplier_id TEXT REFERENCES suppliers (id),
    -- Space-separated permission codes (read, file, withdraw, terminate, decide, revoke, access).
    permissions TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_by TEXT REFERENCES users (id),
    last_used_at TIMESTAMP,
    CHECK ((kind = 'supplier') = (supplier_id IS NOT NULL))
);
CREATE INDEX api_tokens_created_by ON api_tokens (created_by, created_at);
CREATE INDEX api_tokens_supplier ON api_tokens (supplier_id, created_at);
CREATE INDEX api_tokens_kind ON api_tokens (kind, created_at);

-- The agreement change feed reads the audit log's agreement rows in sequence order.
CREATE INDEX audit_log_target_seq ON audit_log (target_type, seq);
