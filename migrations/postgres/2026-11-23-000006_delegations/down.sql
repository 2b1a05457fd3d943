ALTER TABLE requests DROP COLUMN decided_delegation;
DROP TABLE delegations;
