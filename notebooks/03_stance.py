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
# # 03 · Where each article stands on “the customer is always right”
#
# The question is what should prevail when what a customer wants conflicts with staff, rules or
# company interest. A multilingual codebook of cues (`data/lexicons/stance_codebook.csv`: the
# maxim in its local forms, and the usual arguments for and against it) is matched on lemmas;
# negation and qualification flip or weaken a cue. Sentence scores roll up to an article score
# in [−1, 1] with a bootstrap 90% interval and a label. Praise of good service alone is not a
# stance.

# %% tags=["parameters"]
raw_dir = None  # input folder; None means the embedded corpus in data/raw
out_dir = None  # output folder for the tables; None means data/processed (data/runs/<name> for other input)
topics = "auto"
seed = 42
model = "nmf"  # the theme model to compare stance with

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import display

from servicelens import config, stance
from servicelens.figures import plot_argument_matrix, plot_stance_by_article, plot_stance_by_theme, save_figure
from servicelens.pipeline import load_or_run

raw, out = config.run_paths(raw_dir, out_dir)
result = load_or_run(raw, out, seed=seed, topics=str(topics))
tables = result.tables
figures_dir = config.figures_dir_for(raw, out)
articles = tables["stance_articles"]
articles

# %% [markdown]
# ## Stance by article
#
# Bars show the score, whiskers the 90% bootstrap interval over the article's evidence
# sentences (drawn when there are at least three). An article whose evidence weighs less than one
# full cue (one clear argument, or two weak ones) is `no_stance`: too little to say, never a guess.

# %%
fig = plot_stance_by_article(articles, tables["documents"])
save_figure(fig, "stance_by_article", figures_dir, title="Stance by article",
            caption="Stance score per article with 90% bootstrap intervals; colour gives the label.",
            notebook="03_stance")
fig

# %% [markdown]
# ## Which arguments each article uses

# %%
fig = plot_argument_matrix(articles, tables["documents"])
save_figure(fig, "stance_arguments_by_article", figures_dir, title="Arguments by article",
            caption="Evidence sentences per argument type and article.", notebook="03_stance")
fig

# %% [markdown]
# ## The evidence
#
# Every sentence with a cue, quoted in its own language. The cues are glossed in English
# (“NOT” marks a cue flipped by negation or qualification); quotes are never translated.

# %%
evidence = tables["stance_sentences"]
evidence = evidence[evidence["cues"] != ""]
pd.set_option("display.max_colwidth", 160)
evidence[["doc_id", "sent_id", "text", "polarity", "score", "cue_glosses", "argument_types"]]

# %% [markdown]
# ## Stance against themes
#
# For each theme of notebook 02, the mean stance of the articles, weighted by how much of each
# article the theme takes up.

# %%
fig = plot_stance_by_theme(articles, tables["article_themes"], tables["topics"], model)
save_figure(fig, "stance_by_theme", figures_dir, title="Stance by theme",
            caption="Mean article stance per theme, weighted by the theme's share in each article.",
            notebook="03_stance")
fig

# %% [markdown]
# ## Evaluation on the hand-annotated seeds
#
# Every sentence of the five seed articles was labelled pro, contra or neutral by reading
# (`data/annotations/stance_sentences.csv`), and each article was given a label with a
# justification (`stance_articles.csv`, which also lists the reference reading). The scorer's
# output is compared with both. The codebook was not tuned to these sentences. This section
# runs only on the embedded corpus.

# %%
if config.is_default_corpus(raw):
    gold_sentences = pd.read_csv(config.ANNOTATION_DIR / "stance_sentences.csv")
    gold_articles = pd.read_csv(config.ANNOTATION_DIR / "stance_articles.csv")
    metrics, confusion = stance.evaluate_sentences(tables["stance_sentences"], gold_sentences)
    display(metrics)
    display(confusion.rename_axis(index="annotated", columns="predicted"))
    display(stance.article_agreement(articles, gold_articles))
