"""`components.plain`: text from the data or a URL is shown as typed, never as Markdown or HTML (issue 18)."""
from __future__ import annotations


def test_plain_shows_markdown_and_html_as_typed():
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        import streamlit as st

        from paqa_dash.ui.components import plain

        st.markdown(plain("![x](https://elsewhere.example/t.png) **bold** <img src=x> :red[r] $x$ a_b_"))

    at = AppTest.from_function(page).run(timeout=30)
    body = at.markdown[0].value
    assert "\\!\\[x\\]\\(https\\:" in body and "\\*\\*bold\\*\\*" in body and "\\<img" in body
    assert "\\:red\\[r\\]" in body and "\\$x\\$" in body


def test_a_finding_title_above_the_chart_shows_no_plotly_markup():
    """The challenge page's two-line findings carry their numbers in `<sup>`; moved above the chart as text they
    read '<sup>23 of 49 ...</sup>' (seen in the browser). The words stay, in brackets."""
    import plotly.graph_objects as go

    from paqa_dash.figures.challenge import two_lines
    from paqa_dash.ui.components import finding_apart

    fig = go.Figure(layout={"title": {"text": two_lines("Most often challenged: plan content or progress",
                                                        "23 of 49 challenges and escalations")}})
    fig, finding = finding_apart(fig)
    assert finding == "Most often challenged: plan content or progress (23 of 49 challenges and escalations)"
    assert fig.layout.meta["finding"] == finding and fig.layout.title.text is None
