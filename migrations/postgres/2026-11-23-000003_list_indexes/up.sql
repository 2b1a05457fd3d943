-- Indexes that let the request and agreement lists read a page in their display order
-- (newest first, reference as tie-breaker) instead of sorting every row.
CREATE INDEX requests_filed ON requests (filed_at, reference);
CREATE INDEX requests_status_filed_reference ON requests (status, filed_at, reference);
DROP INDEX requests_status_filed;
CREATE INDEX agreements_created ON agreements (created_at, reference);
CREATE INDEX agreements_status_created ON agreements (status, created_at, reference);
