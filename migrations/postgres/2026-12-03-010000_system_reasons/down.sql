-- Back to sentences (Danish, as the system wrote them before) for the coded reasons.
UPDATE agreements SET close_reason = 'Slutdatoen er passeret.'
    WHERE close_reason_code = 'end-date-passed';
UPDATE agreements SET close_reason = 'Flyttet fra ' || (close_reason_args::json ->> 'from')
    || ' til ' || (close_reason_args::json ->> 'to')
    || ' (' || (close_reason_args::json ->> 'reference') || ').'
    WHERE close_reason_code = 'moved-to-successor';
UPDATE agreements SET close_reason = 'Institutionen ' || (close_reason_args::json ->> 'number')
    || ' er lukket' || COALESCE('; den videreføres som ' || (close_reason_args::json ->> 'successor'), '') || '.'
    WHERE close_reason_code = 'institution-closed';
UPDATE requests SET decision_reason = 'Institutionen ' || (decision_reason_args::json ->> 'number')
    || ' er lukket' || COALESCE('; den videreføres som ' || (decision_reason_args::json ->> 'successor'), '') || '.'
    WHERE decision_reason_code = 'institution-closed';
ALTER TABLE agreements DROP COLUMN close_reason_code, DROP COLUMN close_reason_args;
ALTER TABLE requests DROP COLUMN decision_reason_code, DROP COLUMN decision_reason_args;
