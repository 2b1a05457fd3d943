-- An agreement is put on hold ("sat i bero", the national portal's "til venter") by the
-- institution side, by the supplier pausing its whole service, or by both. Each side's
-- hold is kept apart, with when and why, so each side lifts only its own: the agreement
-- is `suspended` while either hold stands and `active` again when neither does.
ALTER TABLE agreements ADD COLUMN institution_paused_at TIMESTAMP;
ALTER TABLE agreements ADD COLUMN institution_pause_reason TEXT;
ALTER TABLE agreements ADD COLUMN supplier_paused_at TIMESTAMP;
ALTER TABLE agreements ADD COLUMN supplier_pause_reason TEXT;
