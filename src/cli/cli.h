/* The `vos` command line: one function per top-level command, plus shared helpers.
 * Each command returns the process exit status: 0 success, 1 the work found problems
 * (lint errors, failed rows), 2 usage errors, 3 other failures. */
#ifndef VOS_CLI_H
#define VOS_CLI_H

#include <stddef.h>
#include <stdio.h>

enum { CLI_OK = 0, CLI_PROBLEMS = 1, CLI_USAGE = 2, CLI_FAILED = 3 };

int vos_cmd_model(int argc, char **argv);
int vos_cmd_case(int argc, char **argv);
int vos_cmd_finance(int argc, char **argv);

/* Reads a whole file ("-" is standard input) into a NUL-terminated buffer of at most `max`
 * bytes.  Returns 0 with *out (caller frees) and *len, or prints "vos: PATH: reason" to
 * stderr and returns -1. */
int cli_read_file(char **out, size_t *len, const char *path, size_t max);

struct vos_diags;
struct vos_model;

/* Prints diagnostics as `FILE:LINE:COL: error: message` lines to `to`, warnings too when
 * `warnings` is set. */
void cli_print_diags(FILE *to, const char *file, const struct vos_diags *d, int warnings);

/* Reads and loads a model file; on failure prints the errors to stderr and returns -1. */
int cli_load_model(struct vos_model **out, const char *path);

/* Whether argv[i] is -h or --help. */
int cli_is_help(const char *arg);

#endif
