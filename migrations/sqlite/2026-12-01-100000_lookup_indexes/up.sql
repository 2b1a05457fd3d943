-- Lookups that ran as scans: an approved request's agreement (agreement_scopes by the
-- request that granted them), who decides at an institution (staff by institution,
-- officers by municipality) and the delegations of an institution.
CREATE INDEX agreement_scopes_request ON agreement_scopes (request_id);
CREATE INDEX role_assignments_institution ON role_assignments (institution_number, role);
CREATE INDEX role_assignments_municipality ON role_assignments (municipality_code, role);
CREATE INDEX delegations_institution ON delegations (institution_number, valid_until);
