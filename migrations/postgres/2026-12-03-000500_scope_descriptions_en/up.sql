-- Scope descriptions in English, beside the Danish ones, for pages read in English.
ALTER TABLE scopes ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
UPDATE scopes SET description_en = 'Name, address, contact details and units.' WHERE code = 'STAMDATA';
UPDATE scopes SET description_en = 'Staff names, roles and where they work.' WHERE code = 'MEDARBEJDERE';
UPDATE scopes SET description_en = 'Children''s names, dates of birth and their groups.' WHERE code = 'BOERN';
UPDATE scopes SET description_en = 'Holders of parental responsibility and their contact details.' WHERE code = 'FORAELDRE';
UPDATE scopes SET description_en = 'Groups, classes and the relations between children, parents and staff.' WHERE code = 'GRUPPER';
UPDATE scopes SET description_en = 'Users can sign in to the service with Unilogin.' WHERE code = 'UNILOGIN';
UPDATE scopes SET description_en = 'Enrolments, withdrawals and waiting lists.' WHERE code = 'INDMELDELSER';
UPDATE scopes SET description_en = 'Fees, fee subsidies and sibling discounts.' WHERE code = 'OEKONOMI';
UPDATE scopes SET description_en = 'The household income that fee subsidies are based on.' WHERE code = 'INDKOMST';
UPDATE scopes SET description_en = 'CPR numbers of children, parents and staff.' WHERE code = 'CPR';
