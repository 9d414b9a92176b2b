/* Operations of an installation as a whole: the leases of background jobs shared by several
 * processes, and the copy of a whole installation into another store. */
#include "app_realize_int.h"

#include "vos/error.h"

#include <math.h>
#include <string.h>

#define LEASE_SECONDS_MIN 0.001 /* a lease ends at least a millisecond (a stamp's unit) later */

int vos_app_job_claim(vos_app *app, bool *claimed, const char *name, const char *holder,
                      double seconds)
{
    *claimed = false;
    if (!isfinite(seconds) || seconds < LEASE_SECONDS_MIN)
        return vos_error_set(VOS_EINVALID, "a job lease must last at least a millisecond");
    char now[VOS_STAMP_SIZE], until[VOS_STAMP_SIZE];
    vos_store_now(now);
    app_stamp_of_day(until, app_day_of_stamp(now) + seconds / APP_SECONDS_PER_DAY);
    int rc = app_begin(app);
    if (rc < 0) return rc;
    rc = vos_store_job_claim(app->st, claimed, name, holder, now, until);
    rc = app_end(app, rc);
    if (rc < 0) *claimed = false;
    return rc;
}

int vos_app_copy(vos_app *app, const vos_actor *who, vos_app *src, vos_store_copy_progress progress,
                 void *ctx)
{
    int rc = app_allow(who, VOS_OP_BACKUP);
    if (rc < 0) return rc;
    if (!src || src == app)
        return vos_error_set(VOS_EINVALID, "an installation is copied into another store");
    return vos_store_copy(app->st, src->st, progress, ctx);
}
