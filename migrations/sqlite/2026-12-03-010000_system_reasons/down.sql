-- Back to sentences (Danish, as the system wrote them before) for the coded reasons.
UPDATE agreements SET close_reason = 'Slutdatoen er passeret.'
    WHERE close_reason_code = 'end-date-passed';
UPDATE agreements SET close_reason = 'Flyttet fra ' || json_extract(close_reason_args, '$.from')
    || ' til ' || json_extract(close_reason_args, '$.to')
    || ' (' || json_extract(close_reason_args, '$.reference') || ').'
    WHERE close_reason_code = 'moved-to-successor';
UPDATE agreements SET close_reason = 'Institutionen ' || json_extract(close_reason_args, '$.number')
    || ' er lukket' || COALESCE('; den videreføres som ' || json_extract(close_reason_args, '$.successor'), '') || '.'
    WHERE close_reason_code = 'institution-closed';
UPDATE requests SET decision_reason = 'Institutionen ' || json_extract(decision_reason_args, '$.number')
    || ' er lukket' || COALESCE('; den videreføres som ' || json_extract(decision_reason_args, '$.successor'), '') || '.'
    WHERE decision_reason_code = 'institution-closed';
ALTER TABLE agreements DROP COLUMN close_reason_args;
ALTER TABLE agreements DROP COLUMN close_reason_code;
ALTER TABLE requests DROP COLUMN decision_reason_args;
ALTER TABLE requests DROP COLUMN decision_reason_code;
