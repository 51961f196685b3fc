"""Figures: one house style, fonts that draw Latin, Cyrillic, Japanese and Hungarian (ő, ű),
and plot functions that take tables and return a Figure. :func:`save_figure` writes every
figure as PNG (300 dpi), SVG and PDF, deterministically."""

from __future__ import annotations

import csv
import logging
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib_fontja  # noqa: F401  (registers IPAexGothic, a Japanese font, with matplotlib)
import pandas as pd
from matplotlib.figure import Figure

from .config import FIGURES_DIR, SUPPORTED

# DejaVu Sans draws Latin (with ő, ű) and Cyrillic; IPAexGothic fills in Japanese. Either font
# alone leaves boxes: DejaVu has no kana or kanji, Noto CJK and IPAex lack ő and ű.
FONT_FAMILY = ["DejaVu Sans", "IPAexGothic"]
LANGUAGE_COLORS = {
    "ru": "#4477AA", "ja": "#EE6677", "hu": "#228833", "en": "#CCBB44",
    "de": "#66CCEE", "es": "#AA3377", "fr": "#994F00", "other": "#BBBBBB",
}
SIZES = {"width": 7.0, "row": 0.42, "title": 12, "label": 10, "tick": 9}
FORMATS = ("png", "svg", "pdf")
INDEX_COLUMNS = ["name", "title", "caption", "notebook"]


def apply_style() -> None:
    """Set the house style in matplotlib's rcParams (fonts, sizes, deterministic output)."""
    # IPAexGothic has no bold face; matplotlib logs each fallback to its regular weight.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    mpl.rcParams.update({
        "font.family": FONT_FAMILY,
        "font.size": SIZES["label"],
        "axes.titlesize": SIZES["title"],
        "axes.titleweight": "bold",
        "axes.labelsize": SIZES["label"],
        "xtick.labelsize": SIZES["tick"],
        "ytick.labelsize": SIZES["tick"],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "x",
        "grid.alpha": 0.3,
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "svg.hashsalt": "servicelens",  # fixed ids in SVG output
        "svg.fonttype": "path",  # glyphs as paths: the SVG renders without the fonts installed
        "pdf.fonttype": 42,
    })


def language_color(code: str) -> str:
    """The palette colour of a language; every unsupported language shares one grey."""
    return LANGUAGE_COLORS.get(code, LANGUAGE_COLORS["other"])


def article_label(doc_id: str, title: str, width: int = 38) -> str:
    """A short axis label for an article: its title (shortened) and its id's first part."""
    short = textwrap.shorten(title or doc_id, width=width, placeholder="…")
    if len(short) > width:  # unspaced scripts (Japanese) do not shorten at spaces
        short = short[: width - 1] + "…"
    return f"{short} [{doc_id.split('_')[0]}]" if title else doc_id


def save_figure(fig: Figure, name: str, out_dir: Path = FIGURES_DIR, *, title: str = "",
                caption: str = "", notebook: str = "") -> list[Path]:
    """Write ``fig`` as ``out_dir/name.{png,svg,pdf}`` and record it in ``out_dir/index.csv``.

    Dates and software versions are left out of the files, so two runs give the same bytes.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }
    paths = []
    for fmt in FORMATS:
        path = out_dir / f"{name}.{fmt}"
        fig.savefig(path, format=fmt, metadata=metadata[fmt])
        paths.append(path)
    _update_index(out_dir / "index.csv", {"name": name, "title": title, "caption": caption,
                                          "notebook": notebook})
    return paths


def _update_index(path: Path, entry: dict[str, str]) -> None:
    rows = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.DictReader(fh) if r["name"] != entry["name"]]
    rows.append(entry)
    rows.sort(key=lambda r: r["name"])
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=INDEX_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def corpus_overview(documents: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """Per analysed article: language, label, paragraphs, sentences and content tokens."""
    ok = documents[documents["status"] == "ok"].copy()
    content = tokens[tokens["is_content"]].groupby("doc_id").size()
    ok["content_tokens"] = ok["doc_id"].map(content).fillna(0).astype(int)
    ok["label"] = [article_label(d, t) for d, t in zip(ok["doc_id"], ok["title"], strict=True)]
    return ok[["doc_id", "label", "language", "n_paragraphs", "n_sentences", "content_tokens"]]


def plot_corpus_overview(documents: pd.DataFrame, tokens: pd.DataFrame) -> Figure:
    """Paragraphs, sentences and content tokens per article, one bar per article, coloured by
    language. Articles are sorted by language, then by content tokens."""
    apply_style()
    table = corpus_overview(documents, tokens).sort_values(
        ["language", "content_tokens", "doc_id"], ascending=[True, False, True])
    n = len(table)
    height = max(2.6, 1.4 + SIZES["row"] * n)
    fig = Figure(figsize=(SIZES["width"] * 1.5, height), layout="constrained")
    axes = fig.subplots(1, 3, sharey=True)
    colors = [language_color(code) for code in table["language"]]
    y = list(range(n))[::-1]
    for ax, column, xlabel in zip(
        axes, ("n_paragraphs", "n_sentences", "content_tokens"),
        ("paragraphs", "sentences", "content tokens"), strict=True,
    ):
        ax.barh(y, table[column], color=colors, height=0.7)
        for yi, value in zip(y, table[column], strict=True):
            ax.text(value, yi, f" {value:,}", va="center", fontsize=SIZES["tick"] - 1)
        ax.set_xlabel(xlabel)
        ax.margins(x=0.18)
    axes[0].set_yticks(y, table["label"])
    langs = sorted(table["language"].unique())
    handles = [mpl.patches.Patch(color=language_color(c), label=SUPPORTED[c].name if c in SUPPORTED else c)
               for c in langs]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(langs), frameon=False)
    total = int(table["content_tokens"].sum())
    fig.suptitle(
        f"{n} articles in {len(langs)} languages, {total:,} content tokens: "
        f"the longest has {table['content_tokens'].max() / max(1, table['content_tokens'].min()):.1f}× "
        f"the content of the shortest",
        fontsize=SIZES["title"], fontweight="bold",
    )
    return fig
