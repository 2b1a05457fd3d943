-- Accounts that hold up: sign-in through an OpenID Connect provider, a second factor,
-- invitations and password resets by single-use link, and two-step sessions.

-- A person's identity at a provider. Found by (issuer, subject) only, never by a claim
-- that can change. An operator may pre-register a subject before the first sign-in.
CREATE TABLE identities (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    UNIQUE (issuer, subject)
);
-- One subject per person and provider: a second one would be a second way in.
CREATE UNIQUE INDEX identities_user_issuer ON identities (user_id, issuer);

-- A sign-in begun at the provider and not yet returned: single use, bound to the browser.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY NOT NULL,
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Invitation and password-reset links: only the hash of the token is kept.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX account_tokens_user ON account_tokens (user_id);

-- One-time recovery codes for a lost authenticator, stored hashed.
CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

ALTER TABLE users ADD COLUMN totp_secret TEXT;
-- The last accepted TOTP time step, so a code is never accepted twice.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- 'password' sessions wait at 'second_factor' until the TOTP code is given.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';
ALTER TABLE sessions ADD COLUMN login_method TEXT NOT NULL DEFAULT 'password';
-- The provider's ID token, sent back as a hint when signing out at the provider.
ALTER TABLE sessions ADD COLUMN id_token TEXT;

-- A sign-in attempt counts against its account from the start; against the client address
-- once it has failed, or once it has been left unfinished for a minute.
ALTER TABLE login_failures ADD COLUMN settled BOOLEAN NOT NULL DEFAULT TRUE;
