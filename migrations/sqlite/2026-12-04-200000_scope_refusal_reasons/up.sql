-- A reason per refused scope: when an approver grants only part of a request, each
-- scope left out carries the approver's reason for it, as typed (the whole rejection
-- keeps its one reason on the request).
ALTER TABLE request_scopes ADD COLUMN refusal_reason TEXT;
