/* vos init: create the database and the organisation. */
#include "cli.h"

#include "vos/app.h"

#define INIT_NAME_DEFAULT "My organisation"
#define INIT_CURRENCY_DEFAULT "USD"

static const char init_help[] =
    "usage: vos init [--db URL] [--name NAME] [--currency CODE]\n"
    "\n"
    "Creates the database (bringing its schema up to date) and the organisation that uses\n"
    "VOS.  Running it again changes nothing and says so.\n"
    "\n"
    "options:\n"
    "  --db URL          the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  --name NAME       the organisation's name (default \"My organisation\")\n"
    "  --currency CODE   its ISO 4217 currency (default USD)\n"
    "  -h, --help        this help\n"
    "\n"
    "Exit status: 0 created or found, 1 bad name or currency, 2 usage, 3 the database\n"
    "cannot be opened.\n";

int vos_cmd_init(int argc, char **argv)
{
    const char *db = NULL, *name = INIT_NAME_DEFAULT, *currency = INIT_CURRENCY_DEFAULT;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},
        {"--name", &name, NULL, NULL, 0},
        {"--currency", &currency, NULL, NULL, 0},
    };
    cli_args a = {"vos init", init_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    const char *url = cli_db_url(db);
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, "vos init", url)) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    int created = 0;
    int err = vos_app_init(app, &who, name, currency, &created);
    if (err < 0) {
        rc = cli_fail("vos init", err);
    } else if (created) {
        printf("initialised %s: organisation '%s' (%s)\n", url, name, currency);
    } else {
        printf("%s is already initialised; nothing changed\n", url);
    }
    vos_app_close(app);
    return rc;
}
