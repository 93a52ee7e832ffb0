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
