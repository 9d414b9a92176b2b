/* Internals of the PostgreSQL backend. */
#ifndef VOS_STORE_POSTGRES_INT_H
#define VOS_STORE_POSTGRES_INT_H

/* One numbered migration: its SQL as lines (NULL-terminated), applied in one transaction. */
typedef struct vos_pg_migration {
    int version;              /* 1, 2, 3, ...: recorded in schema_migrations once applied */
    const char *name;         /* "init" for 0001_init.sql */
    const char *const *lines; /* the text of the .sql file, line by line */
} vos_pg_migration;

extern const vos_pg_migration vos_pg_migrations[];
extern const int vos_pg_migrations_count;

#endif
