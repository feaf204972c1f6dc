#!/usr/bin/env bash
# One command from a fresh Debian machine to the running platform on its embedded database,
# with demo data, at http://localhost:${PORT:-3000}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
bash scripts/node-deps.sh
npm run build
exec npm start
