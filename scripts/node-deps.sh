#!/usr/bin/env bash
# Installs node_modules from the lock file when they do not match it, so repeated runs are quick.
# `npm install`, not `npm ci`: the registry reachable here serves no other platforms' optional
# binaries (e.g. @swc/core-darwin-arm64 answers 404), so npm cannot record them in the lock and
# `npm ci` rejects every lock as out of sync. `npm install` keeps the locked versions.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then exit 0; fi
npm install --no-audit --no-fund
sha256sum package-lock.json | cut -d' ' -f1 > "$stamp"
