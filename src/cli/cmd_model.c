#include "cli.h"

int vos_cmd_model(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vos model: not available yet\n");
    return CLI_FAILED;
}
