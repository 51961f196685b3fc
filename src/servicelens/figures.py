"""Figures: one house style, fonts that draw Latin, Cyrillic, Japanese and Hungarian (ő, ű),
and plot functions that take tables and return a Figure. :func:`save_figure` writes every
figure as PNG (300 dpi), SVG and PDF, deterministically."""

from __future__ import annotations

import csv
import logging
import math
import re
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib_fontja  # noqa: F401  (registers IPAexGothic, a Japanese font, with matplotlib)
import numpy as np
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
    return f"{short} [{short_id(doc_id)}]" if title else doc_id


def short_id(doc_id: str) -> str:
    """A short form of an id for labels: the number of a "NNN_hash" file name, else the id."""
    match = re.fullmatch(r"(\d+)_[0-9a-f]{8,}", doc_id)
    return match.group(1) if match else doc_id


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


def _split_terms(cell: str) -> list[str]:
    return [t.strip() for t in cell.split(";") if t.strip()]


def plot_topic_terms(topics: pd.DataFrame, model: str = "nmf", n_terms: int = 8) -> Figure:
    """One small bar chart per topic: its top terms (English concept labels, with the
    original-language words behind each concept) and their weights."""
    apply_style()
    table = topics[topics["model"] == model].sort_values("topic_id")
    k = len(table)
    ncols = min(3, max(1, k))
    nrows = math.ceil(k / ncols)
    fig = Figure(figsize=(SIZES["width"] * 1.9, 0.5 + 2.6 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, row in zip(axes, table.itertuples(), strict=False):
        terms = _split_terms(row.top_terms)[:n_terms][::-1]
        weights = [float(w) for w in _split_terms(row.weights)[:n_terms]][::-1]
        colors = [LANGUAGE_COLORS["other"] if "(" not in t else "#4477AA" for t in terms]
        ax.barh(range(len(terms)), weights, color=colors, height=0.7)
        ax.set_yticks(range(len(terms)), [textwrap.shorten(t, 46, placeholder="…") for t in terms],
                      fontsize=SIZES["tick"] - 1)
        ax.set_title(f"{row.topic_id}: {textwrap.shorten(row.label, 44, placeholder='…')}",
                     fontsize=SIZES["label"], loc="left")
        ax.set_xlabel(f"weight · NPMI {row.coherence_npmi:.2f} · {row.languages}", fontsize=SIZES["tick"] - 1)
    for ax in axes[k:]:
        ax.set_visible(False)
    if k > 1:  # a single topic (the explorer's view) is titled by its own panel
        cross = int((table["n_languages_15"] >= 2).sum())
        fig.suptitle(f"{k} themes ({model.upper()}): {cross} of {k} draw at least 15% of their weight from "
                     f"two or more languages", fontsize=SIZES["title"], fontweight="bold")
    return fig


def plot_article_topics(article_themes: pd.DataFrame, topics: pd.DataFrame, documents: pd.DataFrame,
                        model: str = "nmf") -> Figure:
    """Heatmap: the share of each theme in each article."""
    apply_style()
    shares = article_themes[article_themes["model"] == model].pivot_table(
        index="doc_id", columns="topic_id", values="share", fill_value=0.0).sort_index()
    labels = topics[topics["model"] == model].set_index("topic_id")["label"]
    docs = documents.set_index("doc_id")
    fig = Figure(figsize=(SIZES["width"] * 1.4, 1.8 + 0.45 * len(shares)), layout="constrained")
    ax = fig.subplots()
    im = ax.imshow(shares.to_numpy(), cmap="Blues", vmin=0, vmax=max(0.5, float(shares.to_numpy().max())),
                   aspect="auto")
    ax.grid(False)
    ax.set_yticks(range(len(shares)), [article_label(d, docs.loc[d, "title"]) for d in shares.index])
    ax.set_xticks(range(shares.shape[1]),
                  [f"{t}: {textwrap.shorten(labels.get(t, ''), 28, placeholder='…')}" for t in shares.columns],
                  rotation=35, ha="right")
    for (i, j), value in np.ndenumerate(shares.to_numpy()):
        ax.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=SIZES["tick"] - 1,
                color="white" if value > 0.35 else "black")
    fig.colorbar(im, ax=ax, label="share of the article", shrink=0.8)
    top = shares.idxmax(axis=1)
    fig.suptitle(f"Each article's main theme: {len(set(top))} different themes lead the {len(shares)} articles",
                 fontsize=SIZES["title"], fontweight="bold")
    return fig


def plot_k_selection(selection: pd.DataFrame) -> Figure:
    """Mean NPMI coherence, diversity and stability against the number of topics k."""
    apply_style()
    fig = Figure(figsize=(SIZES["width"], 3.6), layout="constrained")
    ax = fig.subplots()
    ax.grid(True, axis="both")
    for column, color, marker in (("coherence_npmi", "#4477AA", "o"), ("diversity", "#228833", "s"),
                                  ("stability", "#CCBB44", "^")):
        ax.plot(selection["k"], selection[column], marker=marker, color=color, label=column.replace("_", " "))
    chosen = selection.loc[selection["chosen"]].iloc[0]
    ax.axvline(chosen["k"], color="#EE6677", linestyle="--", linewidth=1)
    ax.annotate(f"chosen k = {int(chosen['k'])}", (chosen["k"], chosen["coherence_npmi"]),
                textcoords="offset points", xytext=(6, 8), color="#EE6677")
    ax.set_xlabel("number of topics k")
    ax.set_ylabel("score")
    ax.set_xticks(selection["k"])
    ax.legend(frameon=False, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    fig.suptitle(f"k = {int(chosen['k'])} chosen: mean NPMI {chosen['coherence_npmi']:.2f}, then diversity, stability",
                 fontsize=SIZES["title"], fontweight="bold")
    return fig


def plot_topic_languages(topics: pd.DataFrame, model: str = "nmf") -> Figure:
    """Stacked bars: which languages' paragraphs each theme draws its weight from."""
    apply_style()
    table = topics[topics["model"] == model].sort_values("topic_id")
    rows = []
    for row in table.itertuples():
        for part in _split_terms(row.languages):
            code, share = part.split()
            rows.append((row.topic_id, code, float(share)))
    shares = pd.DataFrame(rows, columns=["topic_id", "language", "share"]).pivot_table(
        index="topic_id", columns="language", values="share", fill_value=0.0)
    fig = Figure(figsize=(SIZES["width"], 1.4 + 0.45 * len(shares)), layout="constrained")
    ax = fig.subplots()
    left = np.zeros(len(shares))
    labels = table.set_index("topic_id")["label"]
    for code in shares.columns:
        ax.barh(range(len(shares)), shares[code], left=left, color=language_color(code),
                label=SUPPORTED[code].name if code in SUPPORTED else code, height=0.7)
        left += shares[code].to_numpy()
    ax.axvline(0.15, color="black", linewidth=0.8, linestyle=":")
    ax.set_yticks(range(len(shares)),
                  [f"{t}: {textwrap.shorten(labels[t], 40, placeholder='…')}" for t in shares.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the theme's weight, by paragraph language (dotted: 15%)")
    ax.legend(frameon=False, ncols=len(shares.columns), loc="lower center", bbox_to_anchor=(0.5, 1.0))
    cross = int((table["n_languages_15"] >= 2).sum())
    fig.suptitle(f"{cross} of {len(table)} themes cross languages", fontsize=SIZES["title"], fontweight="bold")
    return fig


STANCE_COLORS = {"endorses": "#4477AA", "rejects": "#EE6677", "mixed": "#CCBB44", "no_stance": "#BBBBBB"}


def plot_stance_by_article(stance_articles: pd.DataFrame, documents: pd.DataFrame) -> Figure:
    """Diverging bars: each article's stance score (-1 rejects, +1 endorses) with its 90%
    bootstrap interval, coloured by label."""
    apply_style()
    docs = documents.set_index("doc_id")
    table = stance_articles.sort_values(["stance_score", "doc_id"], ascending=[True, True]).reset_index(drop=True)
    fig = Figure(figsize=(SIZES["width"] * 1.3, 1.6 + 0.5 * len(table)), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(table))
    ax.barh(y, table["stance_score"], color=[STANCE_COLORS[x] for x in table["stance_label"]], height=0.6)
    has_ci = table["ci_low"].notna()
    ax.errorbar(table.loc[has_ci, "stance_score"], y[has_ci.to_numpy()],
                xerr=[table.loc[has_ci, "stance_score"] - table.loc[has_ci, "ci_low"],
                      table.loc[has_ci, "ci_high"] - table.loc[has_ci, "stance_score"]],
                fmt="none", ecolor="black", capsize=3, linewidth=1)
    for yi, row in zip(y, table.itertuples(), strict=True):
        ax.text(1.02, yi, f"{row.stance_label} · {row.n_evidence} evidence", va="center",
                fontsize=SIZES["tick"] - 1, transform=ax.get_yaxis_transform())
    ax.set_yticks(y, [article_label(d, docs.loc[d, "title"] if d in docs.index else "") for d in table["doc_id"]])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel("← staff, rules or company may override the customer      the customer should prevail →")
    counts = table["stance_label"].value_counts()
    parts = [f"{counts[label]} {label.replace('_', ' ')}" for label in STANCE_COLORS if label in counts]
    fig.suptitle("Stance on “the customer is always right”: " + ", ".join(parts),
                 fontsize=SIZES["title"], fontweight="bold")
    return fig


def plot_argument_matrix(stance_articles: pd.DataFrame, documents: pd.DataFrame) -> Figure:
    """Heatmap: how many evidence sentences of each argument type each article uses."""
    apply_style()
    rows = []
    for row in stance_articles.itertuples():
        for part in _split_terms(row.argument_types if isinstance(row.argument_types, str) else ""):
            kind, n = part.rsplit(" ", 1)
            rows.append((row.doc_id, kind, int(n)))
    counts = pd.DataFrame(rows, columns=["doc_id", "argument_type", "n"]).pivot_table(
        index="doc_id", columns="argument_type", values="n", fill_value=0, aggfunc="sum")
    counts = counts.reindex(sorted(stance_articles["doc_id"]), fill_value=0)
    docs = documents.set_index("doc_id")
    fig = Figure(figsize=(SIZES["width"] * 1.3, 2.0 + 0.45 * len(counts)), layout="constrained")
    ax = fig.subplots()
    ax.grid(False)
    if counts.shape[1] == 0:
        ax.text(0.5, 0.5, "no stance evidence in any article", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        ax.imshow(counts.to_numpy(), cmap="Purples", aspect="auto", vmin=0)
        for (i, j), value in np.ndenumerate(counts.to_numpy()):
            if value:
                ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=SIZES["tick"])
        ax.set_xticks(range(counts.shape[1]), [c.replace("_", " ") for c in counts.columns], rotation=35, ha="right")
        ax.set_yticks(range(len(counts)), [article_label(d, docs.loc[d, "title"]) for d in counts.index])
    totals = counts.sum()
    top = sorted(t.replace("_", " ") for t in totals.index[totals == totals.max()]) if counts.shape[1] else []
    finding = (f"the most common is “{top[0]}”" if len(top) == 1
               else "most common: " + ", ".join(f"“{t}”" for t in top) if top else "no argument found")
    fig.suptitle(f"Arguments used per article: {finding}", fontsize=SIZES["title"], fontweight="bold")
    return fig


def plot_stance_by_theme(stance_articles: pd.DataFrame, article_themes: pd.DataFrame, topics: pd.DataFrame,
                         model: str = "nmf") -> Figure:
    """For each theme, the mean stance of the articles, weighted by the theme's share in each."""
    apply_style()
    shares = article_themes[article_themes["model"] == model].merge(
        stance_articles[["doc_id", "stance_score"]], on="doc_id")
    weighted = shares.assign(w=shares["share"] * shares["stance_score"]).groupby("topic_id")[["w", "share"]].sum()
    theme_stance = (weighted["w"] / weighted["share"]).sort_values()
    labels = topics[topics["model"] == model].set_index("topic_id")["label"]
    fig = Figure(figsize=(SIZES["width"], 1.4 + 0.45 * len(theme_stance)), layout="constrained")
    ax = fig.subplots()
    colors = [STANCE_COLORS["endorses"] if v > 0 else STANCE_COLORS["rejects"] for v in theme_stance]
    ax.barh(range(len(theme_stance)), theme_stance.to_numpy(), color=colors, height=0.6)
    ax.set_yticks(range(len(theme_stance)),
                  [f"{t}: {textwrap.shorten(labels.get(t, ''), 40, placeholder='…')}" for t in theme_stance.index])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel("mean stance of the articles, weighted by the theme's share (−1 rejects … +1 endorses)")
    top = theme_stance.index[-1] if len(theme_stance) else None
    endorsing = (stance_articles["stance_label"] == "endorses").any()
    title = (f"Articles that endorse the maxim lean on “{textwrap.shorten(labels.get(top, ''), 40, placeholder='…')}”"
             if top is not None and theme_stance.iloc[-1] > 0 and endorsing else "Mean stance by theme")
    fig.suptitle(title, fontsize=SIZES["title"], fontweight="bold")
    return fig
