DROP INDEX delegations_institution;
DROP INDEX role_assignments_municipality;
DROP INDEX role_assignments_institution;
DROP INDEX agreement_scopes_request;
