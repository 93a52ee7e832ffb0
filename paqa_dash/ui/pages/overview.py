"""Overview: headline figures for the filters, beside England, and their trend by quarter."""
from __future__ import annotations

import streamlit as st

from paqa_dash.ui import components, data, state

TITLE = "Overview"
ICON = ":material/insights:"
ORDER = 10
URL_PATH = "overview"


def render() -> None:
    st.title("Repeat child protection plans: overview")
    filters = state.current_filters()
    st.caption(filters.describe())


if __name__ == "__main__":
    render()
