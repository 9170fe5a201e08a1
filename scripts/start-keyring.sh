#!/usr/bin/env bash
# Starts gnome-keyring's Secret Service in the current D-Bus session,
# unlocked with the throwaway password given as $1, and prints what the
# daemon prints for `eval` (nothing when XDG_RUNTIME_DIR is set: its control
# socket is then $XDG_RUNTIME_DIR/keyring/control). Used by
# scripts/with-services.sh and scripts/e2e.sh.
#
# Once (2026-11-30, an e2e run) the daemon was gone right after starting,
# its control socket refusing connections; the app's first keychain call
# then had D-Bus start a locked keyring whose unlock prompt waited forever,
# and the suite hung. So the socket is checked, and the start tried again,
# up to three times; exit 1 when it never answers, so callers fail or skip
# at once instead of hanging.
set -euo pipefail

password=$1
for _ in 1 2 3; do
  if out=$(printf '%s' "$password" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null); then
    control=$(sed -n 's/^GNOME_KEYRING_CONTROL=//p' <<<"$out")
    control=${control:-${XDG_RUNTIME_DIR:-}/keyring}
    if python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(2)
s.connect(sys.argv[1])
' "$control/control" 2>/dev/null; then
      printf '%s\n' "$out"
      exit 0
    fi
  fi
  sleep 0.5
done
echo "start-keyring: gnome-keyring did not stay up" >&2
exit 1
