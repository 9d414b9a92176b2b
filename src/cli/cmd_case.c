#include "cli.h"

int vos_cmd_case(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vos case: not available yet\n");
    return CLI_FAILED;
}
