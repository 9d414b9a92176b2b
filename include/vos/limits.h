/* Every size and count limit of VOS in one place. */
#ifndef VOS_LIMITS_H
#define VOS_LIMITS_H

#define VOS_ERROR_MSG_MAX 1024        /* bytes of one error message */
#define VOS_DIAG_MSG_MAX 512          /* bytes of one diagnostic message */
#define VOS_DIAG_MAX 200              /* diagnostics kept per load; more are counted, not kept */

#define VOS_MODEL_BYTES_MAX (4 << 20) /* bytes of one model file */
#define VOS_MODEL_DEPTH_MAX 32        /* nesting of maps/lists in a model file */
#define VOS_MODEL_NODES_MAX 500000    /* scalars, maps and lists in a model file */
#define VOS_ID_MAX 64                 /* characters of an id: [a-z][a-z0-9_]* */
#define VOS_NAME_MAX 200              /* characters of a display name */
#define VOS_TEXT_MAX 4000             /* characters of evidence / description text */
#define VOS_INPUTS_MAX 2000           /* inputs in one model */
#define VOS_DRIVERS_MAX 1000          /* drivers in one model */
#define VOS_COSTS_MAX 1000            /* costs in one model */
#define VOS_ELEMENTS_MAX 2000         /* capabilities, outcomes or KPIs in one model */
#define VOS_HORIZON_YEARS_MAX 30      /* years of a model horizon */
#define VOS_PERIODS_MAX (VOS_HORIZON_YEARS_MAX * 12)

#define VOS_FORMULA_CHARS_MAX 4000    /* characters of one formula */
#define VOS_FORMULA_OPS_MAX 2048      /* bytecode instructions of one formula */
#define VOS_FORMULA_STACK_MAX 64      /* evaluation stack depth (parser nesting is bounded by it) */
#define VOS_FORMULA_ARGS_MAX 32       /* arguments of one function call */

#define VOS_FINANCE_VALUES_MAX 100000 /* cash flows passed to one finance function */
#define VOS_FINANCE_ITER_MAX 200      /* Newton / bracketing iterations of IRR and XIRR */

#define VOS_SIM_ITER_DEFAULT 10000    /* Monte Carlo iterations when none are given */
#define VOS_SIM_ITER_MAX 1000000      /* Monte Carlo iterations at most */
#define VOS_SIM_BINS 20               /* histogram bins of a simulation */

#define VOS_JSONL_LINE_MAX (1 << 20)  /* bytes of one `vos finance` request line */

/* store (include/vos/store.h) */
#define VOS_STORE_URL_MAX 4096          /* bytes of a store URL */
#define VOS_STORE_BUSY_TIMEOUT_MS 5000  /* how long a writer waits for another before "busy" */
#define VOS_STORE_PAGE_DEFAULT 100      /* rows of a list page when the query gives no limit */
#define VOS_STORE_PAGE_MAX 1000         /* rows of one list page at most */
#define VOS_STORE_SERIES_MAX 100000     /* measurements in one time series */
#define VOS_STORE_FILTERS_MAX 4         /* conditions of one list query */
#define VOS_STORE_BULK_PUTS 1000        /* measurements put in one transaction before the
                                           backend loads them in bulk */
#define VOS_STORE_PUT_BATCH 5000        /* measurements an ingestion hands the store at once
                                           (vos_store_measurements_put) */
#define VOS_STORE_BULK_CHECKPOINT_BYTES (64 << 20) /* SQLite write-ahead log size before a
                                                 commit checkpoints, while loading in bulk */
#define VOS_STORE_BULK_CACHE_BYTES (64 << 20) /* SQLite page cache while loading in bulk */
#define VOS_STORE_SQLITE_PAGE_SIZE 16384 /* bytes of a page of a new SQLite database */
#define VOS_STORE_JSON_MAX (4 << 20)    /* bytes of one stored JSON document (case overrides,
                                           commitment snapshot, audit before/after) */
#define VOS_STORE_SNAPSHOT_MAX (2 * VOS_STORE_JSON_MAX + (1 << 16)) /* bytes of one audit
                                           snapshot: a row whose largest text (a JSON document
                                           or a model source) doubles when escaped */
#define VOS_EMAIL_MAX 254               /* characters of an email address (RFC 5321 path) */
#define VOS_ACTOR_MAX 254               /* characters of an audit actor (a user email or a name) */
#define VOS_PASSWORD_HASH_MAX 128       /* bytes of a stored password hash (crypto_pwhash_STRBYTES) */
#define VOS_IDEMPOTENCY_KEY_MAX 128     /* characters of an Idempotency-Key: visible ASCII */
#define VOS_IDEMPOTENCY_METHOD_MAX 16   /* characters of the HTTP method kept with a key */
#define VOS_IDEMPOTENCY_PATH_MAX 4000   /* bytes of the request path kept with a key */
#define VOS_IDEMPOTENCY_REPLY_MAX (4 << 20) /* bytes of a kept reply body */

/* requests of the HTTP API's resources (src/http/h_*.c) */
#define VOS_API_SIM_ITER_MAX 100000  /* Monte Carlo iterations of one request */
#define VOS_API_KPIS_MAX 200         /* KPIs committed to in one request */
#define VOS_API_SEGMENTS_MAX 64      /* segments of one account */
#define VOS_API_BATCH_NAMES_MAX 1000 /* account names (not ids) in one batch of measurements */

/* application (include/vos/app.h) */
#define VOS_MEASUREMENT_BATCH_MAX 100000 /* measurements in one ingestion (one transaction) */

/* CSV (include/vos/csv.h) and measurement ingestion (include/vos/ingest.h) */
#define VOS_CSV_FIELD_MAX (64 << 10)   /* bytes of one CSV field, by default */
#define VOS_CSV_RECORD_MAX (256 << 10) /* bytes of one CSV record, by default */
#define VOS_CSV_FIELDS_MAX 1024        /* fields of one CSV record, by default */
#define VOS_INGEST_FIELD_MAX 1024      /* bytes of one field of a measurement file */
#define VOS_INGEST_RECORD_MAX 4096     /* bytes of one record of a measurement file */
#define VOS_INGEST_COLUMNS_MAX 64      /* fields of one record of a measurement file */
#define VOS_INGEST_PROBLEMS_MAX 100    /* bad rows reported per file; more are counted */
#define VOS_INGEST_NAMES_MAX 100000    /* distinct account and source spellings in a file */
#define VOS_INGEST_FUTURE_S 86400      /* a measurement may be stamped this far ahead */
#define VOS_INGEST_YEAR_MIN 1970       /* years a measurement may be stamped in */
#define VOS_INGEST_YEAR_MAX 2200

/* realization, alerts and webhooks (include/vos/app_realize.h) */
#define VOS_URL_MAX 2000                /* characters of a webhook URL */
#define VOS_WEBHOOK_SECRET_MIN 16       /* characters of a webhook signing secret at least */
#define VOS_WEBHOOK_SECRET_MAX 256      /* ... and at most */
#define VOS_WEBHOOKS_MAX 100            /* webhooks of the organisation */
#define VOS_WEBHOOK_EVENTS_MAX 16       /* event names in one webhook's filter */
#define VOS_OUTBOX_ERROR_MAX 1000       /* characters of the last error kept with a delivery */
#define VOS_REALIZATION_KPIS_MAX 200    /* committed KPIs of one case that realization reads */
#define VOS_PORTFOLIO_CASES_MAX 10000   /* committed cases one portfolio sums */

/* maturity (include/vos/maturity.h, include/vos/app_assess.h) */
#define VOS_BLUEPRINT_BYTES_MAX (1 << 20) /* bytes of a blueprint file */
#define VOS_BLUEPRINT_PILLARS_MAX 8       /* pillars of a blueprint */
#define VOS_BLUEPRINT_DIMENSIONS_MAX 32   /* dimensions of a blueprint (all pillars) */
#define VOS_BLUEPRINT_ACTIONS_MAX 64      /* actions of one transition between stages */
#define VOS_BLUEPRINT_STEPS_MAX 32        /* numbered points under one action */
#define VOS_ASSESS_REPORT_MAX (8 << 20)   /* bytes of one HTML assessment report */

#endif
