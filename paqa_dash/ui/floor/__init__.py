"""Two small Streamlit apps that `python -m paqa_dash.benchmark.floor` times beside the dashboard: what Streamlit and
plotly.js cost a first open before the dashboard draws any data.  Run by `streamlit run` (from a copy of each file),
never imported: each draws only when it is the script Streamlit runs (`__main__`)."""
