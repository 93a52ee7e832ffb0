#!/usr/bin/env bash
# Set up (first time only) and open the dashboard. With no store yet, the app builds the synthetic demo first.
# It listens on 127.0.0.1 (this computer only) unless you pass --server.address or set STREAMLIT_SERVER_ADDRESS;
# any other address needs sign-in configured ([auth] in .streamlit/secrets.toml), else it refuses to start
# (paqa_dash/ui/access.py decides; app.py checks again on every page).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
local_only=(--server.address 127.0.0.1)
if [ -n "${STREAMLIT_SERVER_ADDRESS:-}" ]; then local_only=(); fi
for arg in "$@"; do
  case "$arg" in --server.address|--server.address=*) local_only=() ;; esac
done
# ${a[@]+"${a[@]}"}: an empty array under `set -u` on the bash 3.2 of macOS
.venv/bin/python -m paqa_dash.ui.access ${local_only[@]+"${local_only[@]}"} "$@" || exit 1
exec .venv/bin/python -m streamlit run app.py --browser.gatherUsageStats false ${local_only[@]+"${local_only[@]}"} "$@"
