ALTER TABLE scopes DROP COLUMN description_en;
