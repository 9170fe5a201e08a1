#!/usr/bin/env bash
# Prints the path of a runner for SQL scripts on Herald's own SQLite (the
# amalgamation of the libsqlite3-sys version Cargo.lock names, built with
# the options libsqlite3-sys's build script and .cargo/config.toml give
# it), building it first when missing: `RUNNER DATABASE < script.sql`.
# The bench scripts time SQLite with it rather than with the system's
# `sqlite3` shell, whose version and options differ.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n '/^name = "libsqlite3-sys"$/{n;s/^version = "\(.*\)"$/\1/p}' "$here/Cargo.lock")
sources=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"libsqlite3-sys-$version"/sqlite3 2>/dev/null | head -1)
runner=${CARGO_TARGET_DIR:-$here/target}/bench-tools/sqlite_exec-$version
if [ ! -x "$runner" ] || [ "$here/scripts/bench/sqlite_exec.c" -nt "$runner" ]; then
    [ -f "$sources/sqlite3.c" ] || {
        echo "no libsqlite3-sys $version sources under ~/.cargo: build Herald once (make bench)" >&2
        exit 1
    }
    echo "building Herald's SQLite (libsqlite3-sys $version) for the bench..." >&2
    mkdir -p "$(dirname "$runner")"
    cc -O3 -I"$sources" -DSQLITE_CORE -DSQLITE_DEFAULT_FOREIGN_KEYS=1 -DSQLITE_ENABLE_API_ARMOR \
        -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_FTS3 \
        -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_JSON1 \
        -DSQLITE_ENABLE_LOAD_EXTENSION=1 -DSQLITE_ENABLE_MEMORY_MANAGEMENT -DSQLITE_ENABLE_RTREE \
        -DSQLITE_ENABLE_STAT4 -DSQLITE_SOUNDEX -DSQLITE_THREADSAFE=1 -DSQLITE_USE_URI -DHAVE_USLEEP=1 \
        -DHAVE_ISNAN -D_POSIX_THREAD_SAFE_FUNCTIONS -DHAVE_LOCALTIME_R -DSQLITE_ENABLE_UNLOCK_NOTIFY \
        -DSQLITE_DEFAULT_MEMSTATUS=0 \
        -o "$runner" "$here/scripts/bench/sqlite_exec.c" "$sources/sqlite3.c" -lpthread -ldl -lm
fi
echo "$runner"
