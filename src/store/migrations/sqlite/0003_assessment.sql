-- 0003_assessment: maturity self-assessments against the Ecosystems' Value Blueprint.
--
-- An assessment records when it was taken, by whom, against which blueprint (id and version),
-- the target stage and notes; each of its answers the stage (1..5) chosen for one dimension
-- of the blueprint, with optional evidence.  Both are audited entities (column order matches
-- src/store/schema.c) and, like commitments, are never changed or deleted: progress shows as a
-- history of assessments.

CREATE TABLE assessments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at        TEXT NOT NULL CONSTRAINT "assessment.created_at"
                      CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    taken_at          TEXT NOT NULL CONSTRAINT "assessment.taken_at"
                      CHECK (date(taken_at) IS taken_at),
    taken_by          INTEGER REFERENCES users (id),
    blueprint         TEXT NOT NULL CONSTRAINT "assessment.blueprint"
                      CHECK (length(blueprint) BETWEEN 1 AND 64 AND blueprint GLOB '[a-z0-9]*'
                             AND blueprint NOT GLOB '*[^a-z0-9._-]*'),
    blueprint_version TEXT NOT NULL CONSTRAINT "assessment.blueprint_version"
                      CHECK (length(blueprint_version) BETWEEN 1 AND 64),
    target_stage      INTEGER NOT NULL CONSTRAINT "assessment.target_stage"
                      CHECK (target_stage BETWEEN 1 AND 5),
    notes             TEXT CONSTRAINT "assessment.notes" CHECK (length(notes) BETWEEN 1 AND 4000)
) STRICT;
CREATE INDEX "assessment.taken_at_index" ON assessments (taken_at);
CREATE TRIGGER "assessment.frozen_update" BEFORE UPDATE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessment.frozen');
END;
CREATE TRIGGER "assessment.frozen_delete" BEFORE DELETE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessment.frozen');
END;

CREATE TABLE assessment_answers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at    TEXT NOT NULL CONSTRAINT "assessment_answer.created_at"
                  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    dimension_key TEXT NOT NULL CONSTRAINT "assessment_answer.dimension_key"
                  CHECK (length(dimension_key) <= 64 AND dimension_key GLOB '[a-z]*'
                         AND dimension_key NOT GLOB '*[^a-z0-9_]*'),
    stage         INTEGER NOT NULL CONSTRAINT "assessment_answer.stage"
                  CHECK (stage BETWEEN 1 AND 5),
    evidence      TEXT CONSTRAINT "assessment_answer.evidence"
                  CHECK (length(evidence) BETWEEN 1 AND 4000)
) STRICT;
CREATE UNIQUE INDEX "assessment_answer.dimension_key_unique"
    ON assessment_answers (assessment_id, dimension_key);
CREATE TRIGGER "assessment_answer.frozen_update" BEFORE UPDATE ON assessment_answers
BEGIN
    SELECT RAISE(ABORT, 'assessment_answer.frozen');
END;
CREATE TRIGGER "assessment_answer.frozen_delete" BEFORE DELETE ON assessment_answers
BEGIN
    SELECT RAISE(ABORT, 'assessment_answer.frozen');
END;
