-- 0006_ingestion_ranges: where the measurements of each ingestion lie.
--
-- An ingestion's points are read back by its audit record's snapshot (their count and
-- SHA-256, docs/internals/store.md), by `vos audit verify` and by GET /measurements with an
-- ingestion_id.  An index on measurements (ingestion_id) served those reads, at the price of
-- one more index entry on every point inserted: about a tenth of a bulk load's time.  Writers
-- are serialised, so the points of one ingestion are a run of consecutive ids; this table
-- keeps, per ingestion, the smallest and the largest id of its points, which the store widens
-- as it inserts them (vos_store_* in store.c).  A read of an ingestion's points scans that id
-- range and still filters on ingestion_id, so the range only has to include every point of
-- the ingestion; a range narrowed by hand makes the audit snapshot's count and digest differ,
-- which `vos audit verify` reports.  Not an entity: never audited on its own.

CREATE TABLE ingestion_ranges (
    ingestion_id INTEGER PRIMARY KEY REFERENCES ingestions (id),
    first_id     INTEGER NOT NULL,
    last_id      INTEGER NOT NULL,
    CONSTRAINT "ingestion_range.ids" CHECK (first_id BETWEEN 1 AND last_id)
) STRICT;

INSERT INTO ingestion_ranges (ingestion_id, first_id, last_id)
    SELECT ingestion_id, min(id), max(id) FROM measurements GROUP BY ingestion_id;

DROP INDEX "measurement.ingestion_id";
