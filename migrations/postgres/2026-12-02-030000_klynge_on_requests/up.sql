-- Each request carries its institution's klynge (the daginstitution it belongs to, or ''
-- for one that stands alone), so the officer's inbox, grouped by klynge, reads one index
-- range in page order instead of sorting every pending request of the municipality. The
-- database keeps the copy true, as it does the municipality.
ALTER TABLE requests ADD COLUMN klynge_number TEXT;
UPDATE requests r SET klynge_number = COALESCE(i.parent_number, '')
    FROM institutions i WHERE i.number = r.institution_number;
CREATE INDEX requests_municipality_status_klynge
    ON requests (municipality_code, status, klynge_number, institution_number, filed_at DESC, reference DESC);
-- Rows loaded around the triggers, for the worker's sweep that mends them (empty otherwise).
CREATE INDEX requests_klynge_missing ON requests (id) WHERE klynge_number IS NULL;

CREATE FUNCTION fill_klynge_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.klynge_number IS NOT NULL THEN
        RETURN NEW;
    END IF;
    SELECT COALESCE(parent_number, '') INTO NEW.klynge_number
        FROM institutions WHERE number = NEW.institution_number;
    RETURN NEW;
END $$;
CREATE TRIGGER requests_klynge BEFORE INSERT ON requests
    FOR EACH ROW WHEN (NEW.klynge_number IS NULL) EXECUTE FUNCTION fill_klynge_number();
CREATE TRIGGER requests_klynge_move BEFORE UPDATE OF institution_number ON requests
    FOR EACH ROW WHEN (OLD.institution_number IS DISTINCT FROM NEW.institution_number)
    EXECUTE FUNCTION fill_klynge_number();

CREATE FUNCTION move_klynge_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE requests SET klynge_number = COALESCE(NEW.parent_number, '')
        WHERE institution_number = NEW.number;
    RETURN NULL;
END $$;
CREATE TRIGGER institutions_klynge_moves AFTER UPDATE OF parent_number ON institutions
    FOR EACH ROW WHEN (OLD.parent_number IS DISTINCT FROM NEW.parent_number)
    EXECUTE FUNCTION move_klynge_number();
