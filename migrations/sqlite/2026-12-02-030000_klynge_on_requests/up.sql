-- Each request carries its institution's klynge (the daginstitution it belongs to, or ''
-- for one that stands alone), so the officer's inbox, grouped by klynge, reads one index
-- range in page order instead of sorting every pending request of the municipality. The
-- database keeps the copy true, as it does the municipality.
ALTER TABLE requests ADD COLUMN klynge_number TEXT;
UPDATE requests SET klynge_number = COALESCE(
    (SELECT parent_number FROM institutions WHERE number = requests.institution_number), '');
CREATE INDEX requests_municipality_status_klynge
    ON requests (municipality_code, status, klynge_number, institution_number, filed_at DESC, reference DESC);
-- Rows loaded around the triggers, for the worker's sweep that mends them (empty otherwise).
CREATE INDEX requests_klynge_missing ON requests (id) WHERE klynge_number IS NULL;

CREATE TRIGGER requests_klynge_on_insert AFTER INSERT ON requests
WHEN NEW.klynge_number IS NULL
BEGIN
    UPDATE requests SET klynge_number = COALESCE(
        (SELECT parent_number FROM institutions WHERE number = NEW.institution_number), '')
    WHERE id = NEW.id;
END;
CREATE TRIGGER requests_klynge_on_move AFTER UPDATE OF institution_number ON requests
BEGIN
    UPDATE requests SET klynge_number = COALESCE(
        (SELECT parent_number FROM institutions WHERE number = NEW.institution_number), '')
    WHERE id = NEW.id;
END;
CREATE TRIGGER institutions_klynge_moves AFTER UPDATE OF parent_number ON institutions
WHEN NEW.parent_number IS NOT OLD.parent_number
BEGIN
    UPDATE requests SET klynge_number = COALESCE(NEW.parent_number, '')
    WHERE institution_number = NEW.number;
END;
