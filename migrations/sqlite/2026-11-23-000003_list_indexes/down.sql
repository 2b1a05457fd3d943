DROP INDEX agreements_status_created;
DROP INDEX agreements_created;
CREATE INDEX requests_status_filed ON requests (status, filed_at);
DROP INDEX requests_status_filed_reference;
DROP INDEX requests_filed;
