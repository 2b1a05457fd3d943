-- Each audit row about an institution carries the municipality the institution belonged to
-- when the row was written, so a municipality's view of the log reads one index range
-- newest first instead of seeking every institution of the municipality. The portal writes
-- the value with the row; it is an index aid outside the hash, kept as fixed as the rest of
-- the row by the append-only triggers (lifted only here, inside this migration's
-- transaction, to fill the rows written before).
ALTER TABLE audit_log ADD COLUMN municipality_code TEXT;
DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET municipality_code =
    (SELECT municipality_code FROM institutions WHERE number = audit_log.institution_number)
    WHERE institution_number IS NOT NULL;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE INDEX audit_log_municipality ON audit_log (municipality_code, seq);
