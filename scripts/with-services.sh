#!/usr/bin/env bash
# Runs a command with the services Herald's Rust tests talk to, on loopback
# only, on free ports, and stops them afterwards:
#
#   PostgreSQL    a throwaway cluster in a temp dir (the relay's shared-store
#                 mode). Exported as HERALD_TEST_POSTGRES_URL. When the server
#                 binaries are missing the variable is left unset and the tests
#                 that need it say so and skip.
#   Secret Service  gnome-keyring in a private D-Bus session, unlocked with a
#                 throwaway password (the desktop's keychain round trip).
#                 HERALD_TEST_KEYRING=1 when it came up.
#   SMTP          not started here: each SMTP test starts its own aiosmtpd
#                 (scripts/smtpd/server.py) on a free port. HERALD_TEST_SMTPD
#                 is the Python of the venv scripts/install-deps.sh made, when
#                 it has aiosmtpd; unset otherwise, and those tests skip.
#
# HOME stays where it is (cargo and rustup live there); the XDG folders the
# keyring writes to move into the temp dir, so nothing touches the user's
# real keyring.
#
# Usage: scripts/with-services.sh CMD [ARGS...]
set -euo pipefail

if [ "${HERALD_SERVICES_INNER:-}" != 1 ]; then
  sandbox=$(mktemp -d -t herald-services.XXXXXX)
  chmod 755 "$sandbox"
  mkdir -p "$sandbox/data" "$sandbox/config" "$sandbox/cache" "$sandbox/runtime"
  chmod 700 "$sandbox/runtime"
  status=0
  HERALD_SERVICES_INNER=1 HERALD_SERVICES_DIR="$sandbox" \
    XDG_DATA_HOME="$sandbox/data" XDG_CONFIG_HOME="$sandbox/config" \
    XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/runtime" \
    dbus-run-session -- "$0" "$@" || status=$?
  rm -rf "$sandbox"
  exit "$status"
fi

log() { printf '==> services: %s\n' "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
dir="$HERALD_SERVICES_DIR"

# --- Secret Service --------------------------------------------------------
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  if keyring=$("$(dirname "$0")/start-keyring.sh" herald-test); then
    eval "$keyring"
    export HERALD_TEST_KEYRING=1
  else
    log "gnome-keyring did not start: keychain tests will skip"
  fi
else
  log "gnome-keyring-daemon is missing: keychain tests will skip"
fi

# --- SMTP (aiosmtpd) -------------------------------------------------------
smtpd_python="$HOME/.cache/herald/venv/bin/python"
if [ -x "$smtpd_python" ] && "$smtpd_python" -c 'import aiosmtpd' 2>/dev/null; then
  export HERALD_TEST_SMTPD="$smtpd_python"
else
  log "aiosmtpd is not installed (scripts/install-deps.sh does it): SMTP tests will skip"
fi

# --- PostgreSQL ------------------------------------------------------------
pg_bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && pg_bin="$candidate"
done
pg_ctl_as=()
pg_data="$dir/pg"
stop_pg() { :; }
if [ -n "$pg_bin" ]; then
  # PostgreSQL refuses to run as root: run it as the postgres user the
  # package created, in a folder that user owns.
  if [ "$(id -u)" -eq 0 ]; then
    if id postgres >/dev/null 2>&1; then
      pg_ctl_as=(runuser -u postgres --)
    else
      pg_bin=""
      log "running as root and there is no postgres user: PostgreSQL tests will skip"
    fi
  fi
fi
if [ -n "$pg_bin" ]; then
  mkdir -p "$pg_data" "$dir/pgsock"
  [ "${#pg_ctl_as[@]}" -gt 0 ] && chown postgres "$pg_data" "$dir/pgsock"
  port=$(free_port)
  if "${pg_ctl_as[@]}" "$pg_bin/initdb" -D "$pg_data" -U herald --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    && "${pg_ctl_as[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$dir/pg/server.log" -w -t 30 \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/pgsock -c fsync=off" start >/dev/null; then
    stop_pg() { "${pg_ctl_as[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true; }
    export HERALD_TEST_POSTGRES_URL="postgres://herald@127.0.0.1:$port/postgres"
  else
    log "PostgreSQL did not start (see below): PostgreSQL tests will skip"
    tail -20 "$dir/initdb.log" "$dir/pg/server.log" >&2 2>/dev/null || true
  fi
else
  [ -z "${pg_bin}" ] && log "PostgreSQL server binaries not found: PostgreSQL tests will skip"
fi
trap stop_pg EXIT

"$@"
