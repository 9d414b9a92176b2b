-- 0002_auth: sign-in and integrations.
--
-- api_tokens is an audited entity like those of 0001 (column order matches src/store/schema.c).
-- credentials, sessions and idempotency_keys are not entities: they are never audited, never
-- snapshotted, and belong to their user (deleted with it).  A password hash, a session or a
-- kept reply therefore never appears in the audit log.

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    revision      INTEGER NOT NULL CONSTRAINT "api_token.revision" CHECK (revision >= 1),
    created_at    TEXT NOT NULL CONSTRAINT "api_token.created_at"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at    TEXT NOT NULL CONSTRAINT "api_token.updated_at"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL CONSTRAINT "api_token.name" CHECK (length(name) BETWEEN 1 AND 200),
    prefix        TEXT NOT NULL CONSTRAINT "api_token.prefix"
                  CHECK (length(prefix) BETWEEN 1 AND 200),
    secret_sha256 TEXT NOT NULL CONSTRAINT "api_token.secret_sha256"
                  CHECK (length(secret_sha256) = 64 AND secret_sha256 NOT GLOB '*[^0-9a-f]*'),
    revoked_at    TEXT CONSTRAINT "api_token.revoked_at_format"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', revoked_at) IS revoked_at)
) STRICT;
CREATE UNIQUE INDEX "api_token.secret_sha256_unique" ON api_tokens (secret_sha256);
-- A name is unique among the tokens of a user that are not revoked.
CREATE UNIQUE INDEX "api_token.name_unique" ON api_tokens (user_id, name)
    WHERE revoked_at IS NULL;
-- The owner, the prefix and the secret never change; a revocation is final; nothing is deleted.
CREATE TRIGGER "api_token.frozen_update" BEFORE UPDATE ON api_tokens
WHEN NEW.user_id IS NOT OLD.user_id OR NEW.prefix IS NOT OLD.prefix
     OR NEW.secret_sha256 IS NOT OLD.secret_sha256
     OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NOT OLD.revoked_at)
BEGIN
    SELECT RAISE(ABORT, 'api_token.frozen');
END;
CREATE TRIGGER "api_token.frozen_delete" BEFORE DELETE ON api_tokens
BEGIN
    SELECT RAISE(ABORT, 'api_token.frozen');
END;

CREATE TABLE credentials (
    user_id       INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL CONSTRAINT "credential.password_hash"
                  CHECK (length(password_hash) BETWEEN 1 AND 128)
) STRICT;

CREATE TABLE sessions (
    secret_sha256 TEXT PRIMARY KEY CONSTRAINT "session.secret_sha256"
                  CHECK (length(secret_sha256) = 64 AND secret_sha256 NOT GLOB '*[^0-9a-f]*'),
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL CONSTRAINT "session.created_at"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    expires_at    TEXT NOT NULL CONSTRAINT "session.expires_at"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', expires_at) IS expires_at)
) STRICT, WITHOUT ROWID;
CREATE INDEX "session.user_id" ON sessions (user_id);
CREATE INDEX "session.expires_at_index" ON sessions (expires_at);

CREATE TABLE idempotency_keys (
    scope          TEXT NOT NULL CONSTRAINT "idempotency.scope"
                   CHECK (length(scope) BETWEEN 1 AND 254),
    key            TEXT NOT NULL CONSTRAINT "idempotency.key"
                   CHECK (length(key) BETWEEN 1 AND 128 AND key NOT GLOB '*[^!-~]*'),
    method         TEXT NOT NULL CONSTRAINT "idempotency.method"
                   CHECK (length(method) BETWEEN 1 AND 16 AND method NOT GLOB '*[^A-Z]*'),
    path           TEXT NOT NULL CONSTRAINT "idempotency.path"
                   CHECK (length(path) BETWEEN 1 AND 4000),
    request_sha256 TEXT NOT NULL CONSTRAINT "idempotency.request_sha256"
                   CHECK (length(request_sha256) = 64
                          AND request_sha256 NOT GLOB '*[^0-9a-f]*'),
    status         INTEGER NOT NULL CONSTRAINT "idempotency.status"
                   CHECK (status = 0 OR status BETWEEN 100 AND 599),
    content_type   TEXT CONSTRAINT "idempotency.content_type"
                   CHECK (length(content_type) BETWEEN 1 AND 200),
    body           TEXT CONSTRAINT "idempotency.body"
                   CHECK (length(CAST(body AS BLOB)) <= 4194304),
    created_at     TEXT NOT NULL CONSTRAINT "idempotency.created_at"
                   CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    PRIMARY KEY (scope, key),
    CONSTRAINT "idempotency.reply"
        CHECK (CASE WHEN status = 0 THEN content_type IS NULL AND body IS NULL
                    ELSE body IS NOT NULL END)
) STRICT, WITHOUT ROWID;
CREATE INDEX "idempotency.created_at_index" ON idempotency_keys (created_at);

-- Whether customer users may send measurements of their own account.
ALTER TABLE organisation ADD COLUMN customer_measurements INTEGER NOT NULL DEFAULT 0
    CONSTRAINT "organisation.customer_measurements" CHECK (customer_measurements IN (0, 1));
