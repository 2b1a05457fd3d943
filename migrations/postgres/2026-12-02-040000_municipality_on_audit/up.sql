-- Each audit row about an institution carries the municipality the institution belonged to
-- when the row was written, so a municipality's view of the log reads one index range
-- newest first instead of seeking every institution of the municipality. The portal writes
-- the value with the row; it is an index aid outside the hash, kept as fixed as the rest of
-- the row by the append-only trigger (lifted only here, inside this migration's
-- transaction, to fill the rows written before).
ALTER TABLE audit_log ADD COLUMN municipality_code TEXT;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete;
UPDATE audit_log a SET municipality_code = i.municipality_code
    FROM institutions i WHERE i.number = a.institution_number;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_or_delete;
CREATE INDEX audit_log_municipality ON audit_log (municipality_code, seq);
