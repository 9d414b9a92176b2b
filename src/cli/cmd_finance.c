#include "cli.h"

int vos_cmd_finance(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vos finance: not available yet\n");
    return CLI_FAILED;
}
