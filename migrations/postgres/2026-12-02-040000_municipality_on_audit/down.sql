DROP INDEX audit_log_municipality;
ALTER TABLE audit_log DROP COLUMN municipality_code;
