-- A database made by VOS at schema version 1 (vos init --name "Vendor Inc"; vos account add
-- Acme --industry Retail), as sqlite3 .dump wrote it: tests/cli/0601-upgrade-schema-1.sh opens it
-- with the current vos, which must migrate it and still verify its audit chain.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT;
INSERT INTO schema_migrations VALUES(1,'init','ba84b1f53862c071c0471ec4ed126e8779603e6d968914bd1a98aebd1d491dc6','2026-11-23T12:42:42.632Z');
CREATE TABLE organisation (
    id                INTEGER PRIMARY KEY CONSTRAINT "organisation.id" CHECK (id = 1),
    revision          INTEGER NOT NULL CONSTRAINT "organisation.revision" CHECK (revision >= 1),
    created_at        TEXT NOT NULL CONSTRAINT "organisation.created_at"
                      CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at        TEXT NOT NULL CONSTRAINT "organisation.updated_at"
                      CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    name              TEXT NOT NULL CONSTRAINT "organisation.name"
                      CHECK (length(name) BETWEEN 1 AND 200),
    currency          TEXT NOT NULL CONSTRAINT "organisation.currency"
                      CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
    fiscal_year_start INTEGER NOT NULL CONSTRAINT "organisation.fiscal_year_start"
                      CHECK (fiscal_year_start BETWEEN 1 AND 12),
    default_tolerance REAL NOT NULL CONSTRAINT "organisation.default_tolerance"
                      CHECK (default_tolerance > 0 AND default_tolerance <= 1),
    stale_after_days  INTEGER NOT NULL CONSTRAINT "organisation.stale_after_days"
                      CHECK (stale_after_days BETWEEN 1 AND 3650)
) STRICT;
INSERT INTO organisation VALUES(1,1,'2026-11-23T12:42:42.646Z','2026-11-23T12:42:42.646Z','Vendor Inc','USD',1,0.10000000000000000555,30);
CREATE TABLE users (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    revision   INTEGER NOT NULL CONSTRAINT "user.revision" CHECK (revision >= 1),
    created_at TEXT NOT NULL CONSTRAINT "user.created_at"
               CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at TEXT NOT NULL CONSTRAINT "user.updated_at"
               CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    email      TEXT NOT NULL COLLATE NOCASE CONSTRAINT "user.email"
               CHECK (length(email) <= 254 AND email GLOB '?*@?*' AND email NOT GLOB '*[ ]*'),
    name       TEXT NOT NULL CONSTRAINT "user.name" CHECK (length(name) BETWEEN 1 AND 200),
    role       TEXT NOT NULL CONSTRAINT "user.role"
               CHECK (role IN ('admin', 'value_engineer', 'seller', 'csm', 'executive',
                               'customer', 'partner')),
    account_id INTEGER REFERENCES accounts (id),
    active     INTEGER NOT NULL CONSTRAINT "user.active" CHECK (active IN (0, 1)),
    CONSTRAINT "user.customer_account" CHECK (role <> 'customer' OR account_id IS NOT NULL)
) STRICT;
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    revision      INTEGER NOT NULL CONSTRAINT "account.revision" CHECK (revision >= 1),
    created_at    TEXT NOT NULL CONSTRAINT "account.created_at"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at    TEXT NOT NULL CONSTRAINT "account.updated_at"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    name          TEXT NOT NULL COLLATE NOCASE CONSTRAINT "account.name"
                  CHECK (length(name) BETWEEN 1 AND 200),
    industry      TEXT CONSTRAINT "account.industry" CHECK (length(industry) BETWEEN 1 AND 200),
    size          TEXT NOT NULL CONSTRAINT "account.size"
                  CHECK (size IN ('unstated', 'smb', 'mid_market', 'enterprise')),
    segments      TEXT CONSTRAINT "account.segments"
                  CHECK (segments IS NULL
                         OR CASE WHEN json_valid(segments) THEN json_type(segments) = 'array'
                                 ELSE 0 END),
    owner_user_id INTEGER REFERENCES users (id)
) STRICT;
INSERT INTO accounts VALUES(1,1,'2026-11-23T12:42:42.805Z','2026-11-23T12:42:42.805Z','Acme','Retail','unstated',NULL,NULL);
CREATE TABLE models (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    revision    INTEGER NOT NULL CONSTRAINT "model.revision" CHECK (revision >= 1),
    created_at  TEXT NOT NULL CONSTRAINT "model.created_at"
                CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at  TEXT NOT NULL CONSTRAINT "model.updated_at"
                CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    key         TEXT NOT NULL CONSTRAINT "model.key"
                CHECK (length(key) <= 64 AND key GLOB '[a-z0-9]*'
                       AND key NOT GLOB '*[^a-z0-9._-]*'),
    name        TEXT NOT NULL CONSTRAINT "model.name" CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT CONSTRAINT "model.description" CHECK (length(description) <= 4000)
) STRICT;
CREATE TABLE model_versions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    revision       INTEGER NOT NULL CONSTRAINT "model_version.revision" CHECK (revision >= 1),
    created_at     TEXT NOT NULL CONSTRAINT "model_version.created_at"
                   CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at     TEXT NOT NULL CONSTRAINT "model_version.updated_at"
                   CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    model_id       INTEGER NOT NULL REFERENCES models (id),
    version        TEXT NOT NULL CONSTRAINT "model_version.version"
                   CHECK (length(version) <= 64 AND version GLOB '[0-9]*.[0-9]*.[0-9]*'),
    status         TEXT NOT NULL CONSTRAINT "model_version.status_enum"
                   CHECK (status IN ('draft', 'approved', 'retired')),
    source         TEXT NOT NULL CONSTRAINT "model_version.source"
                   CHECK (length(CAST(source AS BLOB)) BETWEEN 1 AND 4194304),
    content_sha256 TEXT NOT NULL CONSTRAINT "model_version.content_sha256"
                   CHECK (length(content_sha256) = 64
                          AND content_sha256 NOT GLOB '*[^0-9a-f]*'),
    created_by     INTEGER REFERENCES users (id),
    approved_by    INTEGER REFERENCES users (id),
    approved_at    TEXT CONSTRAINT "model_version.approved_at_format"
                   CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', approved_at) IS approved_at),
    retired_at     TEXT CONSTRAINT "model_version.retired_at_format"
                   CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', retired_at) IS retired_at),
    CONSTRAINT "model_version.approved_at" CHECK (status = 'draft' OR approved_at IS NOT NULL),
    CONSTRAINT "model_version.retired_at" CHECK ((status = 'retired') = (retired_at IS NOT NULL))
) STRICT;
CREATE TABLE benchmarks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    revision   INTEGER NOT NULL CONSTRAINT "benchmark.revision" CHECK (revision >= 1),
    created_at TEXT NOT NULL CONSTRAINT "benchmark.created_at"
               CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at TEXT NOT NULL CONSTRAINT "benchmark.updated_at"
               CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    input_key  TEXT NOT NULL CONSTRAINT "benchmark.input_key"
               CHECK (length(input_key) <= 64 AND input_key GLOB '[a-z]*'
                      AND input_key NOT GLOB '*[^a-z0-9_]*'),
    industry   TEXT CONSTRAINT "benchmark.industry" CHECK (length(industry) BETWEEN 1 AND 200),
    segment    TEXT CONSTRAINT "benchmark.segment" CHECK (length(segment) BETWEEN 1 AND 200),
    value      REAL NOT NULL,
    low        REAL,
    high       REAL,
    unit       TEXT CONSTRAINT "benchmark.unit" CHECK (length(unit) BETWEEN 1 AND 200),
    source     TEXT NOT NULL CONSTRAINT "benchmark.source"
               CHECK (length(source) BETWEEN 1 AND 4000),
    as_of      TEXT NOT NULL CONSTRAINT "benchmark.as_of" CHECK (date(as_of) IS as_of),
    CONSTRAINT "benchmark.range"
        CHECK ((low IS NULL OR low <= value) AND (high IS NULL OR value <= high))
) STRICT;
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    revision         INTEGER NOT NULL CONSTRAINT "case.revision" CHECK (revision >= 1),
    created_at       TEXT NOT NULL CONSTRAINT "case.created_at"
                     CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at       TEXT NOT NULL CONSTRAINT "case.updated_at"
                     CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    account_id       INTEGER NOT NULL REFERENCES accounts (id),
    model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
    name             TEXT NOT NULL COLLATE NOCASE CONSTRAINT "case.name"
                     CHECK (length(name) BETWEEN 1 AND 200),
    stage            TEXT NOT NULL CONSTRAINT "case.stage"
                     CHECK (stage IN ('hypothesis', 'committed', 'realizing', 'expanded', 'lost',
                                      'closed')),
    overrides        TEXT NOT NULL CONSTRAINT "case.overrides"
                     CHECK (length(CAST(overrides AS BLOB)) <= 4194304
                            AND CASE WHEN json_valid(overrides)
                                     THEN json_type(overrides) = 'object' ELSE 0 END),
    owner_user_id    INTEGER REFERENCES users (id),
    parent_case_id   INTEGER REFERENCES cases (id)
) STRICT;
CREATE TABLE commitments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at      TEXT NOT NULL CONSTRAINT "commitment.created_at"
                    CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    snapshot        TEXT NOT NULL CONSTRAINT "commitment.snapshot"
                    CHECK (length(CAST(snapshot AS BLOB)) <= 4194304
                           AND CASE WHEN json_valid(snapshot)
                                    THEN json_type(snapshot) = 'object' ELSE 0 END),
    snapshot_sha256 TEXT NOT NULL CONSTRAINT "commitment.snapshot_sha256"
                    CHECK (length(snapshot_sha256) = 64
                           AND snapshot_sha256 NOT GLOB '*[^0-9a-f]*'),
    committed_by    INTEGER REFERENCES users (id)
) STRICT;
CREATE TABLE commitment_kpis (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    revision       INTEGER NOT NULL CONSTRAINT "commitment_kpi.revision" CHECK (revision >= 1),
    created_at     TEXT NOT NULL CONSTRAINT "commitment_kpi.created_at"
                   CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at     TEXT NOT NULL CONSTRAINT "commitment_kpi.updated_at"
                   CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    commitment_id  INTEGER NOT NULL REFERENCES commitments (id),
    kpi_key        TEXT NOT NULL CONSTRAINT "commitment_kpi.kpi_key"
                   CHECK (length(kpi_key) <= 64 AND kpi_key GLOB '[a-z]*'
                          AND kpi_key NOT GLOB '*[^a-z0-9_]*'),
    unit           TEXT CONSTRAINT "commitment_kpi.unit" CHECK (length(unit) BETWEEN 1 AND 200),
    baseline_value REAL NOT NULL,
    baseline_date  TEXT NOT NULL CONSTRAINT "commitment_kpi.baseline_date"
                   CHECK (date(baseline_date) IS baseline_date),
    target_value   REAL NOT NULL,
    target_date    TEXT NOT NULL CONSTRAINT "commitment_kpi.target_date_format"
                   CHECK (date(target_date) IS target_date),
    trajectory     TEXT NOT NULL CONSTRAINT "commitment_kpi.trajectory"
                   CHECK (trajectory IN ('linear', 's_curve', 'step')),
    tolerance      REAL NOT NULL,
    owner_user_id  INTEGER REFERENCES users (id),
    data_source    TEXT CONSTRAINT "commitment_kpi.data_source"
                   CHECK (length(data_source) BETWEEN 1 AND 4000),
    CONSTRAINT "commitment_kpi.target_date" CHECK (target_date > baseline_date),
    CONSTRAINT "commitment_kpi.target_value" CHECK (target_value <> baseline_value),
    CONSTRAINT "commitment_kpi.tolerance" CHECK (tolerance > 0 AND tolerance <= 1)
) STRICT;
CREATE TABLE ingestions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL CONSTRAINT "ingestion.created_at"
               CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    label      TEXT CONSTRAINT "ingestion.label" CHECK (length(label) BETWEEN 1 AND 200),
    created_by INTEGER REFERENCES users (id)
) STRICT;
CREATE TABLE measurements (
    id           INTEGER PRIMARY KEY,
    ingestion_id INTEGER NOT NULL REFERENCES ingestions (id),
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    kpi_key      TEXT NOT NULL CONSTRAINT "measurement.kpi_key"
                 CHECK (length(kpi_key) <= 64 AND kpi_key GLOB '[a-z]*'
                        AND kpi_key NOT GLOB '*[^a-z0-9_]*'),
    at           TEXT NOT NULL CONSTRAINT "measurement.at"
                 CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', at) IS at),
    value        REAL NOT NULL,
    source       TEXT NOT NULL CONSTRAINT "measurement.source"
                 CHECK (length(source) BETWEEN 1 AND 200)
) STRICT;
CREATE TABLE proof_points (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    revision   INTEGER NOT NULL CONSTRAINT "proof_point.revision" CHECK (revision >= 1),
    created_at TEXT NOT NULL CONSTRAINT "proof_point.created_at"
               CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    updated_at TEXT NOT NULL CONSTRAINT "proof_point.updated_at"
               CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    case_id    INTEGER REFERENCES cases (id),
    kpi_key    TEXT CONSTRAINT "proof_point.kpi_key"
               CHECK (length(kpi_key) <= 64 AND kpi_key GLOB '[a-z]*'
                      AND kpi_key NOT GLOB '*[^a-z0-9_]*'),
    title      TEXT NOT NULL CONSTRAINT "proof_point.title" CHECK (length(title) BETWEEN 1 AND 200),
    statement  TEXT CONSTRAINT "proof_point.statement" CHECK (length(statement) BETWEEN 1 AND 4000),
    value      REAL,
    unit       TEXT CONSTRAINT "proof_point.unit" CHECK (length(unit) BETWEEN 1 AND 200),
    evidence   TEXT CONSTRAINT "proof_point.evidence" CHECK (length(evidence) BETWEEN 1 AND 4000),
    status     TEXT NOT NULL CONSTRAINT "proof_point.status"
               CHECK (status IN ('draft', 'validated', 'published'))
) STRICT;
CREATE TABLE alerts (
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
                CHECK (kind IN ('drift', 'stale', 'forecast_miss')),
    severity    TEXT NOT NULL CONSTRAINT "alert.severity"
                CHECK (severity IN ('info', 'warning', 'critical')),
    status      TEXT NOT NULL CONSTRAINT "alert.status"
                CHECK (status IN ('open', 'acknowledged', 'resolved')),
    message     TEXT NOT NULL CONSTRAINT "alert.message" CHECK (length(message) BETWEEN 1 AND 4000),
    resolved_at TEXT CONSTRAINT "alert.resolved_at_format"
                CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', resolved_at) IS resolved_at),
    CONSTRAINT "alert.resolved_at" CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
) STRICT;
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL CONSTRAINT "audit.at"
                CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', at) IS at),
    actor       TEXT NOT NULL CONSTRAINT "audit.actor" CHECK (length(actor) BETWEEN 1 AND 254),
    operation   TEXT NOT NULL CONSTRAINT "audit.operation"
                CHECK (length(operation) BETWEEN 1 AND 64 AND operation NOT GLOB '*[^a-z0-9_.]*'),
    entity_type TEXT NOT NULL CONSTRAINT "audit.entity_type" CHECK (length(entity_type) >= 1),
    entity_id   INTEGER NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL CONSTRAINT "audit.prev_hash" CHECK (length(prev_hash) = 64),
    hash        TEXT NOT NULL CONSTRAINT "audit.hash" CHECK (length(hash) = 64)
) STRICT;
INSERT INTO audit_log VALUES(1,'2026-11-23T12:42:42.647Z','system','organisation.init','organisation',1,NULL,'{"id":1,"revision":1,"created_at":"2026-11-23T12:42:42.646Z","updated_at":"2026-11-23T12:42:42.646Z","name":"Vendor Inc","currency":"USD","fiscal_year_start":1,"default_tolerance":0.1,"stale_after_days":30}','0000000000000000000000000000000000000000000000000000000000000000','d802e153ad33894d74bf020af328ce5ce7c40832f4f0add727622564c7188947');
INSERT INTO audit_log VALUES(2,'2026-11-23T12:42:42.808Z','system','account.add','account',1,NULL,'{"id":1,"revision":1,"created_at":"2026-11-23T12:42:42.805Z","updated_at":"2026-11-23T12:42:42.805Z","name":"Acme","industry":"Retail","size":"unstated","segments":null,"owner_user_id":null}','d802e153ad33894d74bf020af328ce5ce7c40832f4f0add727622564c7188947','f1d43e4e3f852a05193e3267438e72fe683f9d90269931501ced069eadd8c584');
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('accounts',1);
CREATE UNIQUE INDEX "user.email_unique" ON users (email);
CREATE INDEX "user.account_id" ON users (account_id);
CREATE UNIQUE INDEX "account.name_unique" ON accounts (name);
CREATE INDEX "account.owner_user_id" ON accounts (owner_user_id);
CREATE UNIQUE INDEX "model.key_unique" ON models (key);
CREATE UNIQUE INDEX "model_version.version_unique" ON model_versions (model_id, version);
CREATE TRIGGER "model_version.frozen_update" BEFORE UPDATE ON model_versions
WHEN OLD.status <> 'draft'
     AND (NEW.model_id IS NOT OLD.model_id OR NEW.version IS NOT OLD.version
          OR NEW.source IS NOT OLD.source OR NEW.content_sha256 IS NOT OLD.content_sha256
          OR NEW.approved_at IS NOT OLD.approved_at OR NEW.approved_by IS NOT OLD.approved_by)
BEGIN
    SELECT RAISE(ABORT, 'model_version.frozen');
END;
CREATE TRIGGER "model_version.status_forward" BEFORE UPDATE OF status ON model_versions
WHEN NOT (NEW.status = OLD.status
          OR (OLD.status = 'draft' AND NEW.status = 'approved')
          OR (OLD.status = 'approved' AND NEW.status = 'retired'))
BEGIN
    SELECT RAISE(ABORT, 'model_version.status');
END;
CREATE TRIGGER "model_version.frozen_delete" BEFORE DELETE ON model_versions
WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'model_version.frozen');
END;
CREATE UNIQUE INDEX "benchmark.key" ON benchmarks
    (input_key, ifnull(industry, ''), ifnull(segment, ''), source, as_of);
CREATE UNIQUE INDEX "case.name_unique" ON cases (account_id, name);
CREATE INDEX "case.model_version_id" ON cases (model_version_id);
CREATE INDEX "case.parent_case_id" ON cases (parent_case_id);
CREATE UNIQUE INDEX "commitment.case_id" ON commitments (case_id);
CREATE TRIGGER "commitment.frozen_update" BEFORE UPDATE ON commitments
BEGIN
    SELECT RAISE(ABORT, 'commitment.frozen');
END;
CREATE TRIGGER "commitment.frozen_delete" BEFORE DELETE ON commitments
BEGIN
    SELECT RAISE(ABORT, 'commitment.frozen');
END;
CREATE UNIQUE INDEX "commitment_kpi.kpi_key_unique" ON commitment_kpis (commitment_id, kpi_key);
CREATE TRIGGER "ingestion.frozen_update" BEFORE UPDATE ON ingestions
BEGIN
    SELECT RAISE(ABORT, 'ingestion.frozen');
END;
CREATE TRIGGER "ingestion.frozen_delete" BEFORE DELETE ON ingestions
BEGIN
    SELECT RAISE(ABORT, 'ingestion.frozen');
END;
CREATE UNIQUE INDEX "measurement.key" ON measurements (account_id, kpi_key, at, source);
CREATE INDEX "measurement.ingestion_id" ON measurements (ingestion_id);
CREATE TRIGGER "measurement.frozen_update" BEFORE UPDATE ON measurements
BEGIN
    SELECT RAISE(ABORT, 'measurement.frozen');
END;
CREATE TRIGGER "measurement.frozen_delete" BEFORE DELETE ON measurements
BEGIN
    SELECT RAISE(ABORT, 'measurement.frozen');
END;
CREATE INDEX "proof_point.account_id" ON proof_points (account_id);
CREATE INDEX "proof_point.case_id" ON proof_points (case_id);
CREATE UNIQUE INDEX "alert.open"
    ON alerts (account_id, ifnull(case_id, 0), ifnull(kpi_key, ''), kind)
    WHERE status <> 'resolved';
CREATE INDEX "alert.case_id" ON alerts (case_id);
CREATE INDEX "audit.entity" ON audit_log (entity_type, entity_id, seq);
CREATE TRIGGER "audit.no_update" BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit.append_only');
END;
CREATE TRIGGER "audit.no_delete" BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit.append_only');
END;
COMMIT;
PRAGMA user_version = 1;
