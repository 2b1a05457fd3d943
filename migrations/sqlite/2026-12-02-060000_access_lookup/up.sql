-- The access check and the feed find an institution's agreements with one service, closed
-- ones included, without reading the institution's other agreements.
CREATE INDEX agreements_service_institution ON agreements (service_id, institution_number, created_at);
