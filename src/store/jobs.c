/* Leases of background jobs: of several processes sharing one database, the one that holds a
 * job's lease runs it; the others skip that run.  A lease is not an entity: no revision, no
 * snapshot, no audit record (it is operational state, as the outbox's leases are).  The
 * generic layer checks the arguments; the backend tests and takes the lease in one
 * statement. */
#include "store_int.h"

#include "vos/error.h"

#include <string.h>

static int check_stamp(const char *s, const char *what)
{
    if (s && vos_text_check(s, VOS_TF_STAMP, VOS_STAMP_SIZE - 1, "job lease", what) == 0) return 0;
    return vos_error_set(VOS_EINVALID, "job lease %s is not a UTC stamp (YYYY-MM-DDTHH:MM:SS.mmmZ)",
                         what);
}

static int check_args(const char *name, const char *holder, const char *now, const char *until)
{
    if (!name || !*name) return vos_error_set(VOS_EINVALID, "job lease name is required");
    int rc = vos_text_check(name, VOS_TF_OPERATION, VOS_ID_MAX, "job lease", "name");
    if (rc < 0)
        return vos_error_set(VOS_EINVALID,
                             "job lease name '%.*s' must be 1 to %d characters of a-z, 0-9, "
                             "'_' and '.' (e.g. alerts.evaluate)",
                             VOS_ID_MAX, name, VOS_ID_MAX);
    if (!holder || !*holder) return vos_error_set(VOS_EINVALID, "job lease holder is required");
    rc = vos_text_check(holder, VOS_TF_NAME, VOS_NAME_MAX, "job lease", "holder"); /* one line */
    if (rc == 0) rc = check_stamp(now, "claim time");
    if (rc == 0) rc = check_stamp(until, "end");
    if (rc == 0 && strcmp(until, now) <= 0)
        rc = vos_error_set(VOS_EINVALID, "a job lease must end after the claim time");
    return rc;
}

int vos_store_job_claim(vos_store *st, bool *claimed, const char *name, const char *holder,
                        const char *now, const char *until)
{
    *claimed = false;
    int rc = vos_store_need_write(st, "claim a job lease");
    if (rc == 0) rc = check_args(name, holder, now, until);
    if (rc < 0) return rc;
    if (!st->be->job_claim) return vos_error_set(VOS_ERROR, "this store backend cannot lease jobs");
    return st->be->job_claim(st->be, name, holder, now, until, claimed);
}
