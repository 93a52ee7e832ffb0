"""The Streamlit layer: the only part of the package that imports streamlit.

Page convention (so several people can add pages without touching app.py): every module in
`paqa_dash/ui/pages/` defines

    TITLE: str        # shown in the navigation
    ICON: str         # a material icon, e.g. ":material/insights:"
    ORDER: int        # position in the navigation; the lowest is the default page
    URL_PATH: str     # e.g. "repeat_plans" -> http://host/repeat_plans
    def render() -> None: ...

and ends with

    if __name__ == "__main__":
        render()

app.py imports each module for its metadata and registers the module *file* as an `st.Page`
(Streamlit runs a page file as `__main__`), so `AppTest.switch_page("paqa_dash/ui/pages/x.py")`
works in tests.  The sidebar filters (`state.py`) and the synthetic-data banner are drawn by
app.py before the page runs; pages read them with `state.current_filters()` etc.
"""
