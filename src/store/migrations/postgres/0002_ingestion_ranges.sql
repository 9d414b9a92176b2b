-- 0002_ingestion_ranges: where the measurements of each ingestion lie (as SQLite's
-- 0006_ingestion_ranges).  The smallest and largest id of each ingestion's points, widened by
-- the store as it inserts them; reads of an ingestion's points scan that id range and still
-- filter on ingestion_id.  It replaces the index on measurements (ingestion_id, id).

CREATE TABLE ingestion_ranges (
    ingestion_id BIGINT PRIMARY KEY CONSTRAINT "ingestion_range.ingestion_id_fkey"
                 REFERENCES ingestions (id),
    first_id     BIGINT NOT NULL,
    last_id      BIGINT NOT NULL,
    CONSTRAINT "ingestion_range.ids" CHECK (first_id BETWEEN 1 AND last_id)
);

INSERT INTO ingestion_ranges (ingestion_id, first_id, last_id)
    SELECT ingestion_id, min(id), max(id) FROM measurements GROUP BY ingestion_id;

DROP INDEX "measurement.ingestion_id";
