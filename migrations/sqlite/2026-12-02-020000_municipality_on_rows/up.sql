-- Each request and agreement carries its institution's municipality, so an officer's
-- lists read one index range in page order instead of gathering and sorting every row of
-- the municipality. The database keeps the copy true: filled on insert, and moved with
-- the institution when the register moves it or the row changes institution.
ALTER TABLE requests ADD COLUMN municipality_code TEXT;
ALTER TABLE agreements ADD COLUMN municipality_code TEXT;
UPDATE requests SET municipality_code =
    (SELECT municipality_code FROM institutions WHERE number = requests.institution_number);
UPDATE agreements SET municipality_code =
    (SELECT municipality_code FROM institutions WHERE number = agreements.institution_number);
CREATE INDEX requests_municipality_filed ON requests (municipality_code, filed_at, reference);
CREATE INDEX requests_municipality_status_filed ON requests (municipality_code, status, filed_at, reference);
CREATE INDEX agreements_municipality_created ON agreements (municipality_code, created_at, reference);
CREATE INDEX agreements_municipality_status_created ON agreements (municipality_code, status, created_at, reference);

CREATE TRIGGER requests_municipality_on_insert AFTER INSERT ON requests
WHEN NEW.municipality_code IS NULL
BEGIN
    UPDATE requests SET municipality_code =
        (SELECT municipality_code FROM institutions WHERE number = NEW.institution_number)
    WHERE id = NEW.id;
END;
CREATE TRIGGER requests_municipality_on_move AFTER UPDATE OF institution_number ON requests
BEGIN
    UPDATE requests SET municipality_code =
        (SELECT municipality_code FROM institutions WHERE number = NEW.institution_number)
    WHERE id = NEW.id;
END;
CREATE TRIGGER agreements_municipality_on_insert AFTER INSERT ON agreements
WHEN NEW.municipality_code IS NULL
BEGIN
    UPDATE agreements SET municipality_code =
        (SELECT municipality_code FROM institutions WHERE number = NEW.institution_number)
    WHERE id = NEW.id;
END;
CREATE TRIGGER agreements_municipality_on_move AFTER UPDATE OF institution_number ON agreements
BEGIN
    UPDATE agreements SET municipality_code =
        (SELECT municipality_code FROM institutions WHERE number = NEW.institution_number)
    WHERE id = NEW.id;
END;
CREATE TRIGGER institutions_municipality_moves AFTER UPDATE OF municipality_code ON institutions
WHEN NEW.municipality_code IS NOT OLD.municipality_code
BEGIN
    UPDATE requests SET municipality_code = NEW.municipality_code WHERE institution_number = NEW.number;
    UPDATE agreements SET municipality_code = NEW.municipality_code WHERE institution_number = NEW.number;
END;
