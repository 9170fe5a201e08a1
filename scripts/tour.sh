#!/usr/bin/env bash
# A short tour of a demo workspace with the `herald` command line
# (`make tour`).
set -euo pipefail
herald="$1"
db="$2"
h() { "$herald" --db "$db" "$@"; }
first_email=$(h contacts list --limit 1 --json | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c[0]["email"] or c[0]["phone"])')

echo
echo "Herald demo workspace: $db"
echo
echo "\$ herald contacts list --limit 8"
h contacts list --limit 8
echo
echo "\$ herald contacts show $first_email"
h contacts show "$first_email"
echo
echo "\$ herald campaigns list"
h campaigns list
echo
echo "\$ herald analytics campaign \"Monthly newsletter\""
h analytics campaign "Monthly newsletter"
echo
echo "Try next (with --db \"$db\", or export HERALD_DB=\"$db\"):"
echo "  $herald contacts list --search acme"
echo "  $herald contacts export --format jsonl --out contacts.jsonl"
echo "  $herald contacts import your-list.csv --dry-run"
echo "  $herald contacts add --email you@example.com --first-name You --tag newsletter"
echo "  $herald analytics chart \"Monthly newsletter\" --out newsletter.png"
