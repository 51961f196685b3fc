"""Views: the before/after explanation of cleaning."""

from __future__ import annotations

import pandas as pd

from servicelens.clean import clean_text
from servicelens.views import explain_lines, side_by_side


def test_explain_lines_names_each_lines_fate() -> None:
    raw = "Home | Blog | Contact\n\nWhy we answer every call\n\nCallers wait less when staff can decide.\n© 2024 Shop"
    doc = clean_text(raw)
    dropped = pd.DataFrame(doc.dropped, columns=["line_no", "text", "rule"])
    lines = explain_lines(raw, dropped)
    assert lines["fate"].tolist() == ["dropped", "blank", "kept", "blank", "kept", "dropped"]
    assert "navigation" in lines.loc[0, "why"] and "copyright" in lines.loc[5, "why"]
    page = side_by_side(lines, doc.paragraphs)
    assert "line-through" in page and "Callers wait less" in page
