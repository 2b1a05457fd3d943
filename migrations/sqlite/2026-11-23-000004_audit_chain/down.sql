DROP TABLE audit_head;
DROP TABLE audit_log;
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_user_id TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    institution_number TEXT,
    supplier_id TEXT,
    details TEXT NOT NULL,
    client_addr TEXT
);
CREATE INDEX audit_events_target ON audit_events (target_type, target_id);
