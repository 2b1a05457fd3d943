ALTER TABLE agreements DROP COLUMN supplier_pause_reason;
ALTER TABLE agreements DROP COLUMN supplier_paused_at;
ALTER TABLE agreements DROP COLUMN institution_pause_reason;
ALTER TABLE agreements DROP COLUMN institution_paused_at;
