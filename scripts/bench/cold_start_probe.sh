#!/usr/bin/env bash
# Start-up of the desktop app to its first painted contact row, measured by
# the app itself (HERALD_STARTUP_PROBE, src-tauri/src/commands/startup.rs): no
# WebDriver in the way. Each run launches the app under Xvfb in its own D-Bus
# session (HOME and XDG folders in a temp dir), the app opens on the contact
# list, writes its marks once the first row is painted, and quits. Prints
# each run's marks (ms after the process started) and the median of each.
#
#   scripts/bench/cold_start_probe.sh APP_BINARY WORKSPACE.sqlite3 [RUNS] [warm|cold]
#
# warm (default): one untimed launch first, so the files are in the page
# cache. cold: `sync; echo 3 > /proc/sys/vm/drop_caches` before every run
# (root only): what a launch after a reboot reads from disk.
set -euo pipefail
app=$(realpath "$1") db=$(realpath "$2") runs=${3:-5} mode=${4:-warm}
case $mode in warm | cold) ;; *) echo "mode is warm or cold, not $mode" >&2; exit 2 ;; esac
if [ "$mode" = cold ] && [ ! -w /proc/sys/vm/drop_caches ]; then
  echo "cold runs drop the page cache: run as root" >&2; exit 2
fi
sandbox=$(mktemp -d -t herald-probe.XXXXXX)
xvfb=
trap '[ -n "$xvfb" ] && kill $xvfb 2>/dev/null; rm -rf "$sandbox"' EXIT
display=140
while [ -e "/tmp/.X${display}-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
mkdir -p "$sandbox"/{home,config,data,cache,runtime,out}
chmod 700 "$sandbox/runtime"
export DISPLAY=":$display" HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" \
  XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/runtime"

# One launch; its report lands in $1. Gives up after 60 s.
launch() {
  rm -f "$1"
  HERALD_STARTUP_PROBE="$1" timeout 60 dbus-run-session -- "$app" --db "$db" >"$sandbox/out/app.log" 2>&1 || {
    echo "the app did not finish its probe (exit $?); its log:" >&2
    tail -20 "$sandbox/out/app.log" >&2
    exit 1
  }
  [ -s "$1" ] || { echo "the app quit without writing $1" >&2; exit 1; }
}

[ "$mode" = warm ] && launch "$sandbox/out/untimed.json"
echo "$(date -u +%FT%TZ) $mode, $runs runs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  if [ "$mode" = cold ]; then sync; echo 3 >/proc/sys/vm/drop_caches; fi
  launch "$sandbox/out/run-$run.json"
  sleep 1
done
python3 - "$sandbox/out" "$runs" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
reports = [json.load(open(f"{out}/run-{i}.json")) for i in range(1, runs + 1)]
print("origin:", reports[0]["origin"])
steps = sorted({s for r in reports for s in r["marks_ms"]}, key=lambda s: statistics.median(
    r["marks_ms"][s] for r in reports if s in r["marks_ms"]))
width = max(len(s) for s in steps)
print(f"{'ms after start':<{width}}  " + "  ".join(f"{'run ' + str(i + 1):>7}" for i in range(runs)) + "   median")
for s in steps:
    values = [r["marks_ms"].get(s) for r in reports]
    cells = "  ".join(f"{v:7.0f}" if v is not None else f"{'-':>7}" for v in values)
    print(f"{s:<{width}}  {cells}  {statistics.median(v for v in values if v is not None):7.0f}")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
