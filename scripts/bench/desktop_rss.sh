#!/usr/bin/env bash
# Idle memory of the desktop app on a given workspace: starts the app under
# Xvfb in its own D-Bus session (HOME and XDG folders in a temp dir), waits,
# and sums VmRSS of the app and its WebKit processes. RSS counts the pages
# the processes share (libwebkit2gtk, GTK, fonts) once per process; PSS
# splits each shared page between the processes that map it, so its sum is
# what the app costs the machine. Both are printed, with each process's
# anonymous memory (heaps, stacks: what it allocated itself, as opposed to
# mapped files) and, for the app, its largest mappings.
#
#   scripts/bench/desktop_rss.sh APP_BINARY WORKSPACE.sqlite3 [SECONDS]
set -euo pipefail
app=$1 db=$2 wait=${3:-25}
sandbox=$(mktemp -d -t herald-rss.XXXXXX)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$sandbox"' EXIT
display=120
while [ -e "/tmp/.X${display}-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
mkdir -p "$sandbox"/{home,config,data,cache,runtime}
chmod 700 "$sandbox/runtime"
DISPLAY=":$display" HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" \
XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/runtime" \
dbus-run-session -- bash -c '
  "$0" --db "$1" >/dev/null 2>&1 &
  app=$!
  sleep "$2"
  total=0 total_pss=0
  printf "%-18s %11s %11s %11s\n" process RSS PSS anonymous
  for pid in $app $(pgrep -P $app -x WebKitWebProces || true) $(pgrep -P $app -x WebKitNetworkPr || true); do
    kb=$(awk "/VmRSS/{print \$2}" /proc/$pid/status 2>/dev/null || echo 0)
    pss=$(awk "/^Pss:/{print \$2}" /proc/$pid/smaps_rollup 2>/dev/null || echo 0)
    anon=$(awk "/^Anonymous:/{print \$2}" /proc/$pid/smaps_rollup 2>/dev/null || echo 0)
    printf "%-18s %8d kB %8d kB %8d kB\n" "$(cat /proc/$pid/comm 2>/dev/null)" "$kb" "$pss" "$anon"
    total=$((total + kb)) total_pss=$((total_pss + pss))
  done
  printf "%-18s %8d kB %8d kB\n" total "$total" "$total_pss"
  echo "the app'"'"'s largest mappings (RSS kB, anonymous kB, name):"
  awk "/^[0-9a-f]+-[0-9a-f]+ /{name=(\$6==\"\" ? \"[anon]\" : \$6)} /^Rss:/{rss=\$2} /^Anonymous:/{print rss, \$2, name}" /proc/$app/smaps \
    | awk "{r[\$3]+=\$1; a[\$3]+=\$2} END {for (n in r) print r[n], a[n], n}" | sort -rn | head -10 | sed "s/^/  /"
  kill $app
' "$app" "$db" "$wait" 2>/dev/null
