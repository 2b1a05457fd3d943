-- Reasons the system gives (a closure in the register, an end date passed, a move to a
-- successor) are kept as a code and its arguments (a JSON object), so each reader sees
-- them in their own language. A person's own typed reason stays in the text column.
ALTER TABLE requests ADD COLUMN decision_reason_code TEXT;
ALTER TABLE requests ADD COLUMN decision_reason_args TEXT;
ALTER TABLE agreements ADD COLUMN close_reason_code TEXT;
ALTER TABLE agreements ADD COLUMN close_reason_args TEXT;
-- The one system sentence that carries no facts becomes its code.
UPDATE agreements SET close_reason_code = 'end-date-passed', close_reason_args = '{}',
    close_reason = NULL
    WHERE close_reason = 'Slutdatoen er passeret.' AND closed_by IS NULL;
