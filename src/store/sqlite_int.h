/* Internals of the SQLite backend. */
#ifndef VOS_STORE_SQLITE_INT_H
#define VOS_STORE_SQLITE_INT_H

/* One numbered migration: its SQL as lines (NULL-terminated), applied in one transaction. */
typedef struct vos_sqlite_migration {
    int version;              /* 1, 2, 3, ...: PRAGMA user_version after it is applied */
    const char *name;         /* "init" for 0001_init.sql */
    const char *const *lines; /* the text of the .sql file, line by line */
} vos_sqlite_migration;

extern const vos_sqlite_migration vos_sqlite_migrations[];
extern const int vos_sqlite_migrations_count;

#endif
