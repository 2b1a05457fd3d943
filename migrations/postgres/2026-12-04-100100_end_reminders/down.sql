DROP INDEX agreements_open_ends_on;
DROP TABLE agreement_end_reminders;
