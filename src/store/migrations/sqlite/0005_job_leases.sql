-- 0005_job_leases: leases of background jobs shared by several processes.
--
-- Several `vos serve` processes may share one database.  Before a process runs a scheduled
-- job (alert evaluation, webhook delivery) it takes the job's lease in one statement
-- (vos_store_job_claim): the row says which process holds it and until when.  A job whose
-- lease has not ended belongs to its holder; the others skip that run.  Not an entity:
-- never audited (a lease is operational state, not a change of the domain).

CREATE TABLE job_leases (
    name         TEXT PRIMARY KEY CONSTRAINT "job_lease.name"
                 CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^a-z0-9_.]*'),
    holder       TEXT NOT NULL CONSTRAINT "job_lease.holder"
                 CHECK (length(holder) BETWEEN 1 AND 200),
    leased_until TEXT NOT NULL CONSTRAINT "job_lease.leased_until"
                 CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', leased_until) IS leased_until)
) STRICT, WITHOUT ROWID;
