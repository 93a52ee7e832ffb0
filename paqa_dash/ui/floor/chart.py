"""One plotly chart and one sidebar select: Streamlit's and plotly.js's own cost of a first open."""
import plotly.express as px
import streamlit as st


def page() -> None:
    st.title("One chart")
    st.plotly_chart(px.bar(x=["a", "b", "c"], y=[1, 3, 2], title="Three bars"))


if __name__ == "__main__":   # run by Streamlit, never on import
    st.sidebar.selectbox("Team", ["All", "North"])
    st.navigation([st.Page(page, title="Chart")]).run()
