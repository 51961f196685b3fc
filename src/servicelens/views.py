"""Views for the notebooks: tables and HTML that explain what a stage did."""

from __future__ import annotations

import html

import pandas as pd

RULE_HELP = {
    "copyright": "copyright line", "widget": "comment form, cookie or legal widget",
    "counter": "counter or number debris", "url": "bare web or e-mail address",
    "date": "date or time stamp", "nav": "navigation or breadcrumb", "ui": "interface label",
    "ui_label": "interface label with a list", "repeated": "repeated header line",
    "repeated_title": "the title again", "header_short": "short label above the body",
    "masthead": "site name or tagline", "footer": "page footer", "image_debris": "image file name",
    "glued_title": "title glued to the body", "glued_ui": "interface words glued to text",
    "photo_credit": "photo credit",
}


def explain_lines(raw_text: str, dropped: pd.DataFrame) -> pd.DataFrame:
    """Every raw line of a document with what cleaning did to it and why.

    Args:
        raw_text: the decoded text (``ingest.RawDocument.text``), whose line numbers
            ``dropped_lines`` uses.
        dropped: the document's rows of the ``dropped_lines`` table.
    """
    by_line: dict[int, list[tuple[str, str]]] = {}
    for row in dropped.itertuples():
        by_line.setdefault(int(row.line_no), []).append((row.text, row.rule))
    rows = []
    for no, line in enumerate(raw_text.split("\n"), start=1):
        text = " ".join(line.split())
        removed = by_line.get(no, [])
        if not text:
            fate = "blank"
        elif any(span == text for span, _ in removed):
            fate = "dropped"
        elif removed:
            fate = "partly kept"
        else:
            fate = "kept"
        rules = ", ".join(rule for _, rule in removed)
        why = "; ".join(f"{RULE_HELP.get(rule, rule)}: «{span}»" if fate == "partly kept"
                        else RULE_HELP.get(rule, rule) for span, rule in removed)
        rows.append((no, line, fate, rules, why))
    return pd.DataFrame(rows, columns=["line_no", "text", "fate", "rule", "why"])


def side_by_side(lines: pd.DataFrame, paragraphs: list[str]) -> str:
    """HTML: the raw lines (dropped ones struck through, with the reason) next to the cleaned
    paragraphs."""
    style = {"dropped": "color:#999;text-decoration:line-through", "partly kept": "color:#a60",
             "kept": "", "blank": ""}
    left = "".join(
        f'<div style="{style[r.fate]}"><small style="color:#bbb">{r.line_no:>3}</small> '
        f"{html.escape(r.text)}"
        + (f' <small style="color:#c33;text-decoration:none">[{html.escape(r.why)}]</small>' if r.why else "")
        + "</div>"
        for r in lines.itertuples()
    )
    right = "".join(f"<p><small style='color:#bbb'>¶{i}</small> {html.escape(p)}</p>"
                    for i, p in enumerate(paragraphs))
    cell = "vertical-align:top;text-align:left;width:50%;padding:0 8px;font-size:12px"
    return (
        "<table style='width:100%;border-collapse:collapse'><tr>"
        f"<th style='{cell}'>raw lines</th><th style='{cell}'>cleaned paragraphs</th></tr>"
        f"<tr><td style='{cell}'>{left}</td><td style='{cell}'>{right}</td></tr></table>"
    )
