"""Figures: Latin, Cyrillic, Japanese and ő/ű draw without missing glyphs; files are written in three
formats and SVG/PDF bytes are identical across runs. (Every plot function also runs in the
notebook smoke tests.)"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from servicelens.figures import apply_style, plot_corpus_overview, save_figure


def _draw_without_missing_glyphs(fig) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing


def test_cyrillic_japanese_and_hungarian_labels_render() -> None:
    from matplotlib.figure import Figure

    apply_style()
    fig = Figure()
    ax = fig.subplots()
    ax.set_title("Клиент всегда прав · お客様は神様です · ő ű Ő Ű")
    ax.set_xlabel("顧客満足度 — ügyfélszolgálat — Kundenzufriedenheit — atención al cliente")
    _draw_without_missing_glyphs(fig)


def test_overview_figure_from_the_seed_run(seed_run, tmp_path: Path) -> None:
    tables = seed_run.tables
    fig = plot_corpus_overview(tables["documents"], tables["tokens"])
    _draw_without_missing_glyphs(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 5 and any("顧客" in label for label in labels)
    paths = save_figure(fig, "corpus_overview", tmp_path / "a", title="t", caption="c", notebook="01")
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    again = save_figure(plot_corpus_overview(tables["documents"], tables["tokens"]), "corpus_overview", tmp_path / "b")
    assert paths[1].read_bytes() == again[1].read_bytes()
    assert paths[2].read_bytes() == again[2].read_bytes()
    index = pd.read_csv(tmp_path / "a" / "index.csv", dtype=str)
    assert index.to_dict("records") == [{"name": "corpus_overview", "title": "t", "caption": "c", "notebook": "01"}]
