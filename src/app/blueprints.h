/* The maturity blueprints built into VOS (src/app/blueprints.c, generated from the YAML files
 * of models/maturity by src/app/embed_blueprints.py). */
#ifndef VOS_APP_BLUEPRINTS_H
#define VOS_APP_BLUEPRINTS_H

#include <stddef.h>

typedef struct app_blueprint_text {
    const char *path;         /* the file it was made from, relative to the repository */
    const char *const *lines; /* its text, line by line (with their newlines), NULL-terminated */
} app_blueprint_text;

/* In file-name order: the last one is the current blueprint. */
extern const app_blueprint_text app_blueprints[];
extern const size_t app_blueprints_count;

#endif
