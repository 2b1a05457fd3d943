DROP TRIGGER institutions_klynge_moves ON institutions;
DROP FUNCTION move_klynge_number();
DROP TRIGGER requests_klynge_move ON requests;
DROP TRIGGER requests_klynge ON requests;
DROP FUNCTION fill_klynge_number();
DROP INDEX requests_klynge_missing;
DROP INDEX requests_municipality_status_klynge;
ALTER TABLE requests DROP COLUMN klynge_number;
