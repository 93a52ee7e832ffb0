"""The briefing export: the dashboard's charts and tables as a PowerPoint deck, a print-ready PDF or an
Excel workbook, for a board, a scrutiny committee or the audit group (docs/exports.md).

Layout: `charts` (one chart card: the suppressed figure, its finding title, notes and table), `sections`
(what each page contributes, built by the same metrics and figure builders the pages call) and `presets` (the
standing partnership briefing, one list), `headline` (the figures `metrics --json` prints, for the front
sheet and the quarter-on-quarter comparison), `compare`, `images` (plotly to PNG with the system Chromium),
one writer a format (`pptx_out`, `pdf_out`, `xlsx_out`) and `build` (gather once, write any format).
"""
