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
# # 01 · From scraped pages to clean paragraphs
#
# Every file in the input folder is decoded, stripped of web boilerplate (site headers,
# navigation, dates, share and comment widgets, copyright lines), split into paragraphs and
# sentences, and annotated with its language's spaCy pipeline. This notebook shows what that
# did: which lines went and why, which language each document and paragraph is in, and how big
# each article is once cleaned.

# %% tags=["parameters"]
raw_dir = None  # input folder; None means the embedded corpus in data/raw
out_dir = None  # output folder for the tables; None means data/processed (data/runs/<name> for other input)
topics = "auto"  # number of topics, or "auto" (used by later notebooks)
seed = 42
article = 1  # which analysed article (0-based, in path order) to show before and after

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import HTML, display

from servicelens import config, views
from servicelens.figures import corpus_overview, plot_corpus_overview, save_figure, short_id
from servicelens.pipeline import load_or_run, read_input

raw, out = config.run_paths(raw_dir, out_dir)
result = load_or_run(raw, out, seed=seed, topics=str(topics))
tables = result.tables
documents = tables["documents"]
documents[["doc_id", "status", "reason", "encoding", "language", "pipeline", "n_paragraphs",
           "n_sentences", "title"]]

# %% [markdown]
# ## Before and after
#
# Left: the decoded page, line by line. Struck-through lines were dropped, with the rule that
# dropped them in brackets; orange lines kept their body text and lost glued debris. Right: the
# paragraphs that the later stages analyse. Change `article` to look at another one.

# %%
ok_ids = documents.loc[documents["status"] == "ok", "doc_id"].tolist()
doc_id = ok_ids[article % len(ok_ids)]
raw_text = {d.doc_id: d.text for d in read_input(raw)}[doc_id]
lines = views.explain_lines(raw_text, tables["dropped_lines"].query("doc_id == @doc_id"))
paragraphs = tables["paragraphs"].query("doc_id == @doc_id")["text"].tolist()
print(f"{doc_id}: {int((lines.fate == 'dropped').sum())} lines dropped, "
      f"{int((lines.fate == 'partly kept').sum())} partly kept, {len(paragraphs)} paragraphs")
display(HTML(views.side_by_side(lines, paragraphs)))

# %% [markdown]
# ## What was dropped, across the corpus
#
# Each rule is general (it looks at the shape of a line and at its place on the page), so the
# same rules serve every language. The table counts the lines each rule removed per article.

# %%
dropped = tables["dropped_lines"]
pd.crosstab(dropped["rule"], dropped["doc_id"].map(short_id), margins=True, margins_name="all")

# %% [markdown]
# ## Languages of documents and paragraphs
#
# lingua identifies each document and each paragraph. A paragraph under four words (a heading,
# a caption) takes its document's language; where lingua is unsure the code is `und` and the
# fallback pipeline runs. A paragraph confidently in another language keeps its own code and
# pipeline, so a quotation in English inside a Russian article is lemmatised as English.

# %%
paras = tables["paragraphs"]
lang_table = pd.crosstab(paras["doc_id"], paras["language"])
lang_table.insert(0, "document", documents.set_index("doc_id").loc[lang_table.index, "language"])
lang_table.insert(1, "pipeline", documents.set_index("doc_id").loc[lang_table.index, "pipeline"])
lang_table

# %% [markdown]
# ## Corpus overview
#
# Paragraphs, sentences and content tokens (non-stopword lemmas of nouns, verbs and adjectives
# where the pipeline tags parts of speech) per article, coloured by language.

# %%
overview = corpus_overview(documents, tables["tokens"])
fig = plot_corpus_overview(documents, tables["tokens"])
save_figure(
    fig, "corpus_overview", config.figures_dir_for(raw, out),
    title="Corpus overview",
    caption="Paragraphs, sentences and content tokens per article after cleaning, by language.",
    notebook="01_clean",
)
display(overview)
fig
