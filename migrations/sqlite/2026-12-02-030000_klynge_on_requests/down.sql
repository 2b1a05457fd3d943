DROP TRIGGER institutions_klynge_moves;
DROP TRIGGER requests_klynge_on_move;
DROP TRIGGER requests_klynge_on_insert;
DROP INDEX requests_klynge_missing;
DROP INDEX requests_municipality_status_klynge;
ALTER TABLE requests DROP COLUMN klynge_number;
