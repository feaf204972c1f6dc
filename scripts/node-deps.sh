#!/usr/bin/env bash
# npm ci only when node_modules does not match the lock file, so repeated runs are quick.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then exit 0; fi
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
