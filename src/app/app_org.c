/* The organisation's settings after vos_app_init. */
#include "app_int.h"

#include "vos/error.h"

#include <stdlib.h>

int vos_app_organisation_get(vos_app *app, const vos_actor *who, vos_organisation_row **out)
{
    *out = NULL;
    if (!who || !who->name || !*who->name)
        return vos_error_set(VOS_EINVALID, "the actor has no name");
    int rc = vos_store_organisation_get(app->st, out, 1);
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "there is no organisation yet (vos init)");
    return rc;
}

int vos_app_organisation_update(vos_app *app, const vos_actor *who, vos_organisation_row *row)
{
    int rc = app_allow(who, VOS_OP_INIT);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    char *before = NULL;
    row->id = 1;
    rc = app_before(app, VOS_ENTITY_ORGANISATION, 1, &before);
    if (rc == VOS_ENOTFOUND)
        rc = vos_error_set(VOS_ENOTFOUND, "there is no organisation yet (vos init)");
    if (rc == 0) rc = vos_store_organisation_update(app->st, row);
    if (rc == 0) {
        rc = app_audit(app, who, "organisation.update", VOS_ENTITY_ORGANISATION, 1, before);
        before = NULL;
    }
    free(before);
    return app_end(app, rc);
}
