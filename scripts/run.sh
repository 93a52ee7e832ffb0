#!/usr/bin/env bash
# Set up (first time only) and open the dashboard. With no store yet, the app builds the synthetic demo first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run app.py --browser.gatherUsageStats false "$@"
