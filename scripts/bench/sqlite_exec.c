/* Runs the SQL on standard input against the database named on the command
 * line, with the SQLite that Herald bundles (libsqlite3-sys's amalgamation,
 * built with the same options), so the ceiling scripts time Herald's SQLite
 * rather than the system's. Results are discarded; the first error is
 * printed and ends the run with status 1.
 *
 *   scripts/bench/herald_sqlite.sh builds it; the ceiling scripts
 *   (sqlite_import_ceiling.sh, relay_sqlite_ceiling.py) use it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATABASE < script.sql\n", argv[0]);
        return 2;
    }
    size_t len = 0, cap = 1 << 16;
    char *sql = malloc(cap);
    size_t n;
    while (sql && (n = fread(sql + len, 1, cap - len - 1, stdin)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            sql = realloc(sql, cap);
        }
    }
    if (!sql) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    sql[len] = '\0';
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "SQLite %s: %s\n", sqlite3_libversion(), error);
        return 1;
    }
    free(sql);
    return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
