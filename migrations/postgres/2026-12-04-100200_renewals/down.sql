ALTER TABLE requests DROP COLUMN renews_agreement_id;
