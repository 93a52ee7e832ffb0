"""Dashboard pages, discovered by app.py (see `paqa_dash.ui` for the TITLE/ICON/ORDER/URL_PATH/render convention)."""
