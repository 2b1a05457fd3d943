DROP INDEX audit_log_target_seq;
DROP TABLE api_tokens;
