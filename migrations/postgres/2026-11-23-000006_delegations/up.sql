-- Delegation (fuldmagt): a self-governing institution's staff let the municipality decide
-- for it, or a municipal officer lets a named colleague decide for a period. Decisions
-- made under a delegation record it.
CREATE TABLE delegations (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('institution_to_municipality', 'officer_to_colleague')),
    institution_number TEXT REFERENCES institutions (number),
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    granted_by TEXT NOT NULL REFERENCES users (id),
    granted_to TEXT REFERENCES users (id),
    valid_from DATE NOT NULL,
    valid_until DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_by TEXT REFERENCES users (id),
    CHECK (valid_until >= valid_from),
    CHECK ((kind = 'institution_to_municipality' AND institution_number IS NOT NULL AND granted_to IS NULL)
        OR (kind = 'officer_to_colleague' AND granted_to IS NOT NULL))
);
CREATE INDEX delegations_municipality ON delegations (municipality_code, valid_until);
CREATE INDEX delegations_granted_to ON delegations (granted_to, valid_until);

ALTER TABLE requests ADD COLUMN decided_delegation TEXT;
