# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: servicelens (.venv)
#     language: python
#     name: servicelens
# ---

# %% [markdown]
# # 02 · Key themes across languages
#
# On raw lemmas, Russian, Japanese and Hungarian paragraphs share no vocabulary, and a topic
# model would only sort them by language. Each paragraph is therefore described by *concepts*
# from a curated multilingual glossary (`data/lexicons/concepts.csv`: "refund" is возврат денег,
# 返金, visszatérítés, …) plus the content lemmas no concept covers. NMF and LDA then find the
# themes, with the number of topics chosen by coherence.

# %% tags=["parameters"]
raw_dir = None  # input folder; None means the embedded corpus in data/raw
out_dir = None  # output folder for the tables; None means data/processed (data/runs/<name> for other input)
topics = "auto"  # number of topics, or "auto" to choose by NPMI coherence
seed = 42
model = "nmf"  # which model the figures show: "nmf" or "lda"

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import HTML, display

from servicelens import config
from servicelens.explore import topic_explorer, write_topic_map
from servicelens.figures import (
    plot_article_topics,
    plot_k_selection,
    plot_topic_languages,
    plot_topic_terms,
    save_figure,
)
from servicelens.pipeline import load_or_run
from servicelens.themes import cross_lingual_share

raw, out = config.run_paths(raw_dir, out_dir)
result = load_or_run(raw, out, seed=seed, topics=str(topics))
tables, themes = result.tables, result.themes
figures_dir = config.figures_dir_for(raw, out)
print(f"{len(themes.matrix.rows)} paragraphs × {len(themes.matrix.features)} features; k = {themes.model.k_}")

# %% [markdown]
# ## How much of the text the glossary covers
#
# The share of content tokens (nouns, verbs and adjectives that are not stopwords) that map to a
# concept, per language. The rest enter the model as plain lemmas of their language.

# %%
tables["coverage"]

# %% [markdown]
# For comparison, the coverage measured on all 80,875 texts of the shared corpus of real
# reviews, tweets and sentences (`benchmarks/coverage_shared_corpus.csv`, written by
# `make bench`). Languages with fewer than 1,000 content tokens are left out: they are texts that
# lingua recognised as another language, which the glossary does not cover.

# %%
shared = config.PROJECT_ROOT / "benchmarks" / "coverage_shared_corpus.csv"
if shared.exists():
    display(pd.read_csv(shared).query("n_content_tokens >= 1000"))

# %% [markdown]
# ## Choosing the number of topics
#
# For each k, NMF is fitted and its topics scored by mean NPMI: how much more often a topic's top
# terms occur in the same paragraph than chance. Ties (to two decimals) go to the more diverse
# and then the more stable solution.

# %%
fig = plot_k_selection(tables["k_selection"])
save_figure(fig, "theme_coherence_by_k", figures_dir, title="Coherence against k",
            caption="Mean NPMI, topic diversity and stability for each k; the dashed line marks the chosen k.",
            notebook="02_themes")
fig

# %% [markdown]
# ## The themes
#
# Each theme's label joins its top concepts. Its top terms carry the original-language words
# behind each concept, in brackets; `languages` is the share of the theme's weight drawn from
# paragraphs in each language.

# %%
theme_table = tables["topics"][tables["topics"]["model"] == model]
theme_table[["topic_id", "label", "languages", "coherence_npmi", "top_terms"]]

# %%
fig = plot_topic_terms(tables["topics"], model)
save_figure(fig, "theme_top_terms", figures_dir, title="Top terms per theme",
            caption="The heaviest terms of each theme, with the original-language words behind each concept.",
            notebook="02_themes")
fig

# %% [markdown]
# ## Do the themes cross languages?
#
# A theme crosses languages when it draws at least 15% of its weight from paragraphs in each of
# two or more languages.

# %%
for name in ("nmf", "lda"):
    share = cross_lingual_share(tables["topics"][tables["topics"]["model"] == name])
    print(f"{name}: {share:.0%} of the themes cross languages")
fig = plot_topic_languages(tables["topics"], model)
save_figure(fig, "theme_languages", figures_dir, title="Languages behind each theme",
            caption="Share of each theme's weight drawn from paragraphs in each language.", notebook="02_themes")
fig

# %% [markdown]
# ## Themes by article
#
# Each article's theme profile: the share of each theme in it, paragraphs weighted by length.

# %%
fig = plot_article_topics(tables["article_themes"], tables["topics"], tables["documents"], model)
save_figure(fig, "themes_by_article", figures_dir, title="Themes by article",
            caption="Share of each theme in each article.", notebook="02_themes")
fig

# %% [markdown]
# ## Key terms of each article
#
# Class-based tf-idf: terms frequent in an article and rare in the others. Concepts appear by
# their English label, other terms as lemmas.

# %%
key_terms = tables["key_terms"]
key_terms.groupby("doc_id").head(6).groupby("doc_id")["term"].agg(", ".join).to_frame("key terms")

# %% [markdown]
# ## Explore
#
# Pick k (the model is refitted at that k) and a topic: its top terms and the paragraphs that
# weigh most on it, quoted in their language.

# %%
topic_explorer(themes.model, themes.matrix, tables["paragraphs"], themes.mentions)

# %% [markdown]
# ## Interactive topic map
#
# A self-contained HTML page (no script loaded from the web) to open from disk: topics placed by
# how different their terms are, and their terms ranked by relevance.

# %%
nmf_weights = themes.model.transform(themes.matrix)[model]
path = write_topic_map(config.reports_dir_for(raw, out) / "topic_map.html", themes.model, model,
                       themes.matrix, nmf_weights, tables["topics"], title=f"servicelens topic map ({model.upper()})")
display(HTML(f"Topic map written to <code>{path}</code>"))
