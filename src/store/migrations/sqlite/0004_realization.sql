-- 0004_realization: alerts on missed milestones, webhooks and their delivery outbox.
--
-- alerts gains the kind 'milestone_missed'.  SQLite cannot change a CHECK constraint in place,
-- so the table is rebuilt (same columns, same order, same ids) and its indexes re-created.
--
-- webhooks is an audited entity (column order matches src/store/schema.c).  Its signing
-- secret is needed in clear to compute HMACs, so it lives apart in webhook_secrets, which is
-- not an entity: never audited, never snapshotted; the audited row holds only the secret's
-- SHA-256.  webhook_outbox holds the events to deliver, written in the same transaction as
-- the alert they tell of, so that none is lost across a restart; a row is claimed with a
-- lease (claimed_until) before it is sent, so several processes never send it at once.

CREATE TABLE alerts_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    revision    INTEGER NOT NULL CONSTRAINT "alert.revision" CHECK (revision >= 1),
    created_at  TEXT NOT NULL CONSTRAINT "alert.created_at"
                CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at  TEXT NOT NULL CONSTRAINT "alert.updated_at"
                CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    case_id     INTEGER REFERENCES cases (id),
    kpi_key     TEXT CONSTRAINT "alert.kpi_key"
                CHECK (length(kpi_key) <= 64 AND kpi_key GLOB '[a-z]*'
                       AND kpi_key NOT GLOB '*[^a-z0-9_]*'),
    kind        TEXT NOT NULL CONSTRAINT "alert.kind"
                CHECK (kind IN ('drift', 'stale', 'forecast_miss', 'milestone_missed')),
    severity    TEXT NOT NULL CONSTRAINT "alert.severity"
                CHECK (severity IN ('info', 'warning', 'critical')),
    status      TEXT NOT NULL CONSTRAINT "alert.status"
                CHECK (status IN ('open', 'acknowledged', 'resolved')),
    message     TEXT NOT NULL CONSTRAINT "alert.message" CHECK (length(message) BETWEEN 1 AND 4000),
    resolved_at TEXT CONSTRAINT "alert.resolved_at_format"
                CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', resolved_at) IS resolved_at),
    CONSTRAINT "alert.resolved_at" CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
) STRICT;
INSERT INTO alerts_new (id, revision, created_at, updated_at, account_id, case_id, kpi_key, kind,
                        severity, status, message, resolved_at)
    SELECT id, revision, created_at, updated_at, account_id, case_id, kpi_key, kind, severity,
           status, message, resolved_at FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
CREATE UNIQUE INDEX "alert.open"
    ON alerts (account_id, ifnull(case_id, 0), ifnull(kpi_key, ''), kind)
    WHERE status <> 'resolved';
CREATE INDEX "alert.case_id" ON alerts (case_id);
CREATE INDEX "alert.status_index" ON alerts (status);

CREATE TABLE webhooks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    revision      INTEGER NOT NULL CONSTRAINT "webhook.revision" CHECK (revision >= 1),
    created_at    TEXT NOT NULL CONSTRAINT "webhook.created_at"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at    TEXT NOT NULL CONSTRAINT "webhook.updated_at"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    url           TEXT NOT NULL CONSTRAINT "webhook.url"
                  CHECK (length(url) BETWEEN 8 AND 2000
                         AND (url GLOB 'http://?*' OR url GLOB 'https://?*')),
    events        TEXT NOT NULL CONSTRAINT "webhook.events"
                  CHECK (json_valid(events) AND json_type(events) = 'array'),
    active        INTEGER NOT NULL CONSTRAINT "webhook.active" CHECK (active IN (0, 1)),
    secret_sha256 TEXT NOT NULL CONSTRAINT "webhook.secret_sha256"
                  CHECK (length(secret_sha256) = 64 AND secret_sha256 NOT GLOB '*[^0-9a-f]*'),
    created_by    INTEGER REFERENCES users (id)
) STRICT;
-- The secret (and so its digest) never changes: a new secret is a new webhook.
CREATE TRIGGER "webhook.frozen_update" BEFORE UPDATE ON webhooks
WHEN NEW.secret_sha256 IS NOT OLD.secret_sha256 OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'webhook.frozen');
END;

CREATE TABLE webhook_secrets (
    webhook_id INTEGER PRIMARY KEY REFERENCES webhooks (id) ON DELETE CASCADE,
    secret     TEXT NOT NULL CONSTRAINT "webhook_secret.secret"
               CHECK (length(secret) BETWEEN 16 AND 256)
) STRICT;

CREATE TABLE webhook_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event           TEXT NOT NULL CONSTRAINT "outbox.event"
                    CHECK (length(event) BETWEEN 1 AND 64 AND event NOT GLOB '*[^a-z0-9_.]*'),
    payload         TEXT NOT NULL CONSTRAINT "outbox.payload"
                    CHECK (json_valid(payload) AND json_type(payload) = 'object'),
    created_at      TEXT NOT NULL CONSTRAINT "outbox.created_at"
                    CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    attempts        INTEGER NOT NULL CONSTRAINT "outbox.attempts" CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL CONSTRAINT "outbox.next_attempt_at"
                    CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', next_attempt_at) IS next_attempt_at),
    claimed_until   TEXT CONSTRAINT "outbox.claimed_until"
                    CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', claimed_until) IS claimed_until),
    delivered_at    TEXT CONSTRAINT "outbox.delivered_at"
                    CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', delivered_at) IS delivered_at),
    failed_at       TEXT CONSTRAINT "outbox.failed_at"
                    CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', failed_at) IS failed_at),
    last_status     INTEGER CONSTRAINT "outbox.last_status" CHECK (last_status BETWEEN 0 AND 999),
    last_error      TEXT CONSTRAINT "outbox.last_error" CHECK (length(last_error) <= 1000),
    CONSTRAINT "outbox.done" CHECK (delivered_at IS NULL OR failed_at IS NULL)
) STRICT;
-- The rows still to send, in the order they are due.
CREATE INDEX "outbox.due" ON webhook_outbox (next_attempt_at, id)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX "outbox.webhook_id" ON webhook_outbox (webhook_id, id);
