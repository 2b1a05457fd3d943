DROP INDEX requests_due_for_operators;
DROP INDEX requests_due_for_municipality;
CREATE INDEX requests_escalation ON requests (status, filed_at) WHERE escalated_to_operators_at IS NULL;
