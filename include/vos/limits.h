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
#define VOS_STORE_JSON_MAX (4 << 20)    /* bytes of one stored JSON document (case overrides,
                                           commitment snapshot, audit before/after) */
#define VOS_STORE_SNAPSHOT_MAX (2 * VOS_STORE_JSON_MAX + (1 << 16)) /* bytes of one audit
                                           snapshot: a row whose largest text (a JSON document
                                           or a model source) doubles when escaped */
#define VOS_EMAIL_MAX 254               /* characters of an email address (RFC 5321 path) */
#define VOS_ACTOR_MAX 254               /* characters of an audit actor (a user email or a name) */

#endif
