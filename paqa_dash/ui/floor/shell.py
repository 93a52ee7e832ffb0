"""The chart of chart.py in a shell like the dashboard's (ui/navigation.py, ui/state.py, ui/components.chart_card):
twelve pages in the navigation, the sidebar's filters and five thresholds, four headline figures and the chart's table
with the dashboard's own CSV button; no data."""
import datetime as dt

import pandas as pd
import plotly.express as px
import streamlit as st

from paqa_dash.report import safe_csv
from paqa_dash.ui import components


def page() -> None:
    st.title("One chart in the dashboard's shell")
    for i, column in enumerate(st.columns(4)):
        column.metric(f"Figure {i + 1}", f"{10 + i}%", f"{i - 1.5:+.1f} pts")
    st.plotly_chart(px.bar(x=["a", "b", "c"], y=[1, 3, 2], title="Three bars"))
    st.caption("What the chart counts, in plain words.")
    with st.expander("Show as table", icon=":material/table:"):
        table = pd.DataFrame({"team": [f"Team {i}" for i in range(20)], "plans": range(20)})
        st.dataframe(table, hide_index=True)
        # the dashboard's own CSV button (logged when clicked, as every download is; nothing clicks it here)
        components.csv_download("Download CSV", lambda: safe_csv.csv_bytes(table), "table.csv")


def other() -> None:
    st.write("Another page.")


def sidebar() -> None:
    with st.sidebar:
        st.multiselect("Team", ["North", "South", "East", "West"])
        st.selectbox("Region", ["All regions", "London", "North West"])
        st.multiselect("Authority", ["Authority A", "Authority B", "Authority C"])
        st.date_input("From", dt.date(2025, 4, 1))
        st.date_input("To", dt.date(2026, 3, 31))
        st.date_input("As of", dt.date(2026, 3, 31))
        st.selectbox("Plan number", ["All plans", "First plans", "Repeat plans"])
        with st.expander("Thresholds"):
            for name in ("Re-plan window", "Short plan", "Core group interval", "First review", "Later review"):
                st.number_input(name, value=6)


if __name__ == "__main__":   # run by Streamlit, never on import
    pages = [st.Page(page, title="Overview", default=True)] + [
        st.Page(other, title=f"Page {i}", url_path=f"page{i}") for i in range(1, 12)]
    sidebar()
    st.navigation(pages).run()
