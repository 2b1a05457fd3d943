ALTER TABLE sessions DROP COLUMN id_token;
ALTER TABLE sessions DROP COLUMN login_method;
ALTER TABLE sessions DROP COLUMN stage;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_secret;
DROP TABLE recovery_codes;
DROP TABLE account_tokens;
DROP TABLE oidc_logins;
DROP TABLE identities;
