"""Stance on "the customer is always right": where an article stands when what a customer wants
conflicts with staff, rules or company interest.

Cues (``data/lexicons/stance_codebook.csv``) are lemma sequences compiled into spaCy Matcher
patterns over a Doc of a sentence's normalised lemmas (:func:`stance_key`: lower case, ё as е,
an English -ing form as its verb); ``*`` is one optional arbitrary token.
Each cue has a polarity (+1 the customer should prevail, -1 staff, rules or the company may
override the customer), a weight and an argument type. Its ``negation`` column is blank, or
``ignored`` where what it names argues one way under any verb: an abusive customer named by a
noun ("nous ne servons pas les clients agressifs" argues for limits, as "clients agressifs"
does), or an act only ever named to be deplored ("managers who throw their staff under the bus
lose their best people"); neither a negation nor a bad outcome turns such a cue. Modifiers
(``data/lexicons/stance_modifiers.csv``) flip a cue (negation: "не всегда прав", "not always
right", "nicht immer König"; qualification: "right only when right") or halve its weight
("almost always"). A ``cancel`` modifier removes the negations inside its own span, where
negative words do not negate: an obligation made of two negations (Japanese なければならない, "must"),
a reminder ("never forget that the customer is always right"), negative concord ("nothing is
more important than the customer"), a denied prohibition ("nobody forbids a refund out of our
own pocket"). A ``reason`` modifier spans "not because A, but because B": A is named as no
reason, so its cues score 0, and its "but" concedes nothing ("the client is always right: not
because it is true in every case, but because it is the only way"). A "before" modifier ends
at most three tokens before the cue or lies inside it, and a negation does not reach across a
comma and a subject pronoun ("we don't argue, we believe them"); an "after" modifier starts at
most four tokens after it (Japanese negates after the predicate: 正しいわけではありません), and a
"next" one right after it (German verb-second order: "Ausnahmen machen wir nicht"). A cue
flips at most once and weakens at most once, however many modifiers apply, so French "ne ...
pas" is one negation, not two. A practice given up negates what follows it at once ("we
stopped giving in to every demand", «j'ai arrêté de tout accepter», dejar de, перестать:
kind ``cessation``); a cue that names the stopping itself ("stop arguing with customers")
reads it, and "stopped serving customers who abuse staff" stops the serving, not the abuse.
A verdict before the clause it judges negates it too ("it's a myth that the customer is always
right", "неправда, что …", "nem igaz, hogy …"). An act said to defeat itself ("arguing with a
customer is a losing battle", "спорить с покупателем — значит проиграть", a Pyrrhic victory)
urges the opposite of the act. A denied comparison negates the relative clause after it: "a
hospital is not a restaurant where the customer is always right", "ein Bürgeramt ist kein
Modehaus, das aus Kulanz…". What "instead of" or "rather than" puts aside, in its own clause, is
turned as by a negation ("instead of arguing, refund"; statt, plutôt que, en lugar de, вместо,
代わりに). A view others hold is named, not argued, unless the
writer's verdict follows it ("many say …, and they are wrong / and they are right": kinds
``rebuttal`` and ``agreement``).

A short answer to the maxim in the sentence before (``stance_answers.csv``) is read as the maxim
rejected, though it names neither the customer nor the maxim: "The customer is always right. Not
always.", "Клиент всегда прав. Так вот, не всегда.", "Nem mindig van igaza." (``elliptic``: with
only filler words besides, so "No siempre es fácil" and "Но и продавец прав не всегда" are no
answers), or "No." opening the reply to a question that asks it, the maxim ending at most
``ASKED_TOKENS`` tokens before the question mark ("Is the customer always right? No.",
「お客様は神様か？」「いいえ。」: ``reply``). The maxim it answers is then named, not claimed. The
maxim asked in a question's inverted order ("Is the customer always right?", "Всегда ли прав
клиент?"), which no cue matches, is listed there too, so that a reply may follow it.

Two rules keep mentions apart from claims. A question asserts nothing, so cues in a sentence
ending in a question mark, or in Japanese a final か, score 0 ("Клиент всегда прав?",
「お客様は神様だとは思いませんか。」), unless it opens as a rhetorical one, which denies what it asks
("who would argue with a paying guest?", "who says the customer is always right?": kind
``rhetorical``). The maxim inside quotation marks is
named, not endorsed ("the motto «the customer is always right» was coined in 1909"), so a quoted
maxim scores 0 unless a modifier says what the writer makes of it: one inside the quote, a
negation just after it ("«клиент всегда прав» не всегда содержит правду" rejects it), or a
verdict (see below). So does a side's slogan (``SLOGAN_TYPES`` at ``SLOGAN_WEIGHT``) in quotes that hold at most
``SLOGAN_EXTRA_TOKENS`` other tokens (a programme called "Kunde zuerst 2026", a poster saying
"Employees first"); a longer quote, or one that leads into its speaker with a comma or a dash,
reports a claim ("We put our staff first, always," says the owner). The maxim's sector forms
("the patient is always right") are maxim cues too. A
correction after that negation ("n'est pas un slogan, c'est une stratégie"; "не правило, а миф")
moves the verdict into what follows it, which cues do not read, so the quoted maxim scores 0.
A maxim introduced as a saying ("the old line that the customer is always right", "eso de que
el cliente siempre tiene la razón", お客様は神様という言葉) is named in the same way (``mention``
modifiers).

What the writer says of the maxim or a slogan just after it is a verdict (``verdict``
modifiers, read within ``VERDICT_WINDOW`` tokens and in the same clause: see
:func:`_verdict`). One that condemns it ("is a myth", "has done more harm than good", "ist ein
schlechter Rat", "разрушает коллектив", 時代遅れだ) rejects the maxim, quoted or not; one that
approves of it ("still holds", "reste vrai", ma is érvényes) endorses it. A negation denies
the verdict ("is not a myth", "kein Mythos", "no es un tópico anticuado", 幻想ではない; "does not
hold", "stimmt nicht mehr"). A verdict in a clause of supposition, concession or hearsay
("critics argue that", "according to some consultants,", "mi jefe cree que", "whether"), or
one withheld (古いと言われる, "myth or reality?"), is not the writer's and is not read. Verdicts
of scope ``after`` ("is a myth", は間違い) also flip any other cue they follow, as a negation
does ("arguing with customers is an outdated idea").

A concession is not the writer's point: in "A, but B" a cue that ends, with its modifiers,
before the "but" (``concede`` modifiers: but, но, aber, pero, mais, de, が、) scores 0 ("the
customer pays our wages, but that is no licence to shout at staff"). So does what a sentence
admits when it opens with "of course" (``admit``: of course, natürlich, bien sûr, por supuesto,
конечно, persze, もちろん) and a later sentence of its paragraph opens with "But" and argues the
other side: "Of course, the customer is not always right. […] But we never argue with one."

An if-clause supposes rather than asserts (``condition`` modifiers: if, wenn, si, если, ha,
Japanese ば/たら/なら/と、; a when-clause in a general statement and a whoever-clause do the
same: when, quand, cuando, когда, amikor, 〜とき、; wer, кто, aki. A clause runs from its marker
to the next clause break, or in Japanese from the previous break to the marker). A maxim in it
is named ("if the customer is always right, why have rules?"). A cue in it argues against itself
when the rest of the sentence is a bad outcome (``outcome`` modifiers: staff burn out, customers
leave, the employee is always wrong, 不公平になる; not when negated or averted: "fewer people
quit"; a negation in the outcome's own words, "el camarero nunca la tiene", is part of it), and
for itself when the clause's own predicate is negated ("if you don't back your staff, they
quit"). A relative clause reads so too where a bad outcome follows it closely ("a support
team which must swallow everything gets sick", "eine Firma, die ihre Leute nicht schützt,
verliert sie", «сотрудник, который должен всё терпеть, долго не задержится»); with no outcome
after it, it is not supposed ("a company that believes the customer is always right"). A
Japanese relative clause is closed by the noun after it (スタッフを守らない会社は、…). An
evaluation after such a clause is its outcome, not a verdict on it ("if we make an exception for
one, we are unfair to the rest"), and no modifier after a cue reaches back across "because"
(weil, car, porque, потому, mert). A negation inside such a clause does not reach past its end
("when you tell me something isn't working, I believe you"). An even-if clause (even if, auch wenn, même si,
aunque, даже если, még ha, 〜ても、) is granted, so its cues score 0, as is what the writer used
to think or do (``bygone``: used to, früher, autrefois, раньше, régen, 以前は; "I thought",
„dachte ich“), a temptation the writer names (``temptation``: "it is tempting to", «il est tentant
de») and a disclaimer (``disclaimer``: "I'm not saying that", «je ne dis pas que»).
Hearsay names the maxim as a saying does: "many say that the customer is always right", "man
sagt, der Kunde sei König", "говорят, что клиент всегда прав" (``hearsay`` clauses), and names
any other argument it reports ("dicen que hay que poner límites"); a negation inside what it
reports is the speaker's, not the writer's ("говорят, что с клиентом нельзя спорить", "you've
heard the advice: customers don't know what they want"), while a verdict the writer gives on a
named maxim counts. A view named in quotation marks after "objection", „Einwand“ or «аргумент»
is reported too, and so is a view named as such (``view``: "the idea that staff must put up with
everything", „die Vorstellung, dass“, «представление, что», „az a felfogás, hogy“); the maxim named
so is read by the ``mention`` rows, with its verdict. "Staff
don't dare to say no" laments: its negation does not flip the cue (``dare`` modifiers cancel it).

Priority frames (``stance_frames.csv``) put one party above another: "put employees before
customers" rejects the maxim, "the customer comes before the rules" endorses it. A frame's
slots take role words (``stance_roles.csv``: customer, staff, rules, profit); the pairs and what
they mean are in ``PRIORITY_PAIRS``. Negation applies to frames as to any cue.

Combinations (``stance_combinations.csv``) read what no cue reaches: word classes
(``stance_classes.csv``: staff, a remedy, abuse, a sanction…) that argue a side when a member of
each occurs within a few tokens of the others (``COMBINATION_WINDOW``), in any order and with no
"but" or semicolon between them ("agents may end a call when a caller swears": a sanction, abuse
and a customer). They are read only in a sentence where no cue or frame matched. Modifiers apply
to them as to any cue, except that inside their span a negation acts only on the member it
stands just before, and not on one that names a party (``PARTIES``): "staff may hang up when a
caller won't stop swearing" is not negated. A combination's ``negation`` column says what a
negation does to it: ``flips`` it, as it does a cue; is ``required``, so that the combination is
read only where a negation denies its first slot, the act ("we never argue over whose fault it
was" argues for the customer, but "the airline and the airport argued over who was to blame"
reports a quarrel, and "the customer could not find the receipt and had to leave" is no demand
for proof); or
is ``ignored``, where what the classes name is only ever named to be rejected ("treating honest
customers like suspects" is deplored, and "we don't treat customers like suspects" denied). A
combination that requires a negation is the weaker reading and yields to another that overlaps
it ("she does not need to justify ending a call with an abusive caller" sanctions abuse).
Some combinations say more than a cue in the same sentence and read it in the cue's place
(``READS_OVER``): staff empowered to sanction abuse argue for limits, not for the customer ("give
staff the authority to end calls with rude callers"), and a sentence that deplores suspicion of
the honest many names the cheats only to set them aside ("we would rather lose a little money to
a dishonest customer than treat a thousand honest ones as suspects").

Scores:

- sentence: the sum of its cues' signed weights, clipped to [-1, 1]; polarity is its sign.
- article: with P the summed positive and C the summed negative sentence scores,
  ``stance_score = (P - C) / (P + C + 1)``. The pseudo-count of 1 pulls thin evidence towards 0.
  A 90% interval comes from a bootstrap over the evidence sentences (seeded).

Minimum evidence: an interval needs ``MIN_EVIDENCE_INTERVAL`` (3) evidence sentences (sentences
with a nonzero score); a label other than ``no_stance`` needs evidence weighing at least
``MIN_EVIDENCE_WEIGHT`` (1.0, the summed absolute sentence scores): one sentence with a full cue
("the customer is not always right", "put employees first"), or two with weak ones. A single
weak cue (weight 0.5, "customer loyalty") is too little.

Labels, in order: ``no_stance`` below the minimum evidence; ``mixed`` when both sides are argued
substantially: each side weighs at least one full cue (``MIN_EVIDENCE_WEIGHT``) and the smaller of
P and C is at least ``MIXED_RATIO`` (2/3) of the larger, so 3 against 2 is mixed but 2 against 1,
or one full argument against a weak one, is not; ``mixed`` too when the article turns to the
other side in so many words ("on the other hand", "с другой стороны", andererseits, 一方で:
``stance_balance.csv``) and each side has evidence of at least ``TURN_MIN_SIDE`` (0.5), so 2
against 1 with "on the other hand" is mixed; the same when the title asks a question ("Is the
customer always right?", "Hat der Kunde immer recht?", 「お客様は神様か？」): such a title
announces a weighing, and a one-sided answer ("Клиент всегда прав? Нет.") has evidence on one
side only; but not a title that asks why ("Why we say yes to almost everything?"), which
explains one side; ``endorses`` when the score
is at least ``LABEL_THRESHOLD`` (0.2); ``rejects`` when it is at most -0.2; ``no_stance``
otherwise.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import product
from typing import NamedTuple

import numpy as np
import pandas as pd
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans
from spacy.vocab import Vocab

from .concepts import match_key
from .lexicons import lemma_overrides, read_rows
from .nlp import get_pipeline, known_lemma, lemma_lookup_table


@lru_cache(maxsize=100_000)
def stance_key(lemma: str, code: str) -> str:
    """The form cues are matched in: :func:`~servicelens.concepts.match_key`, and an English -ing
    form as the verb the lookup table reads it as. The lemmatiser keeps "saying", "calling" and
    "working" whole, because each is also a noun headword (a saying), so "saying no" and "without
    calling a manager" would miss the cues "say no" and "call * manager". Cue words are read the
    same way, so a cue that names "training" also matches "train" and "trains", and the other way
    round. An -ing form that ``lemma_overrides.csv`` lists keeps its own reading there (evening is
    not "even", well-being not "be")."""
    key = match_key(lemma, code)
    if code == "en" and key.endswith("ing") and len(key) > 4:
        kept = lemma_overrides().get("en", {}).get(key)
        if kept is not None:
            return kept
        verb = lemma_lookup_table("en").get(key)
        if isinstance(verb, str) and verb != key:
            return verb
    return key


def _slot_keys(word: str, code: str) -> frozenset[str]:
    """What a token needs to fill a pattern's word ``a|=b``: a lemma's key, or a surface form in
    lower case. A sentence holding none of them, among its lemmas' keys and its forms, cannot
    match."""
    return frozenset(x[1:].lower() if x.startswith("=") else stance_key(x, code) for x in word.split("|"))


CODEBOOK = "stance_codebook.csv"
MODIFIERS = "stance_modifiers.csv"
ROLES = "stance_roles.csv"
FRAMES = "stance_frames.csv"
CLASSES = "stance_classes.csv"
COMBINATIONS = "stance_combinations.csv"
BALANCE = "stance_balance.csv"
ANSWERS = "stance_answers.csv"
ANSWER_KINDS = ("elliptic", "reply", "question", "filler")
MODIFIER_SCOPES = ("before", "after", "next", "near", "clause", "maxim", "opening")  # "maxim": read after the maxim
# only; "next": read only where it starts right after the cue; "opening": read only where it opens a sentence (see
# StanceMatcher.opens_with)
MODIFIER_EFFECTS = ("flip", "weaken", "cancel", "grant", "suppose", "whoever", "relative", "continue", "hearsay",
                    "view", "mention", "correct", "concede", "bad", "reduce", "affirm", "refer", "block", "alternative",
                    "report", "object", "admit", "reason")
LEMMA_ONLY = frozenset({ROLES, BALANCE, ANSWERS})  # read by lemma only: no =form there
ASKED_TOKENS = 3  # a question asks the maxim that ends this close to its question mark
OPENING_TOKENS = 6  # how far into a sentence opens_with looks for its opening word
# Who is put above whom in a priority frame, and what that says. Profit above customers is not
# scored: in writing about service it is mostly named to be criticised.
PRIORITY_PAIRS = {
    ("customer", "staff"): (+1, "customer_needs_first", "puts customers above staff"),
    ("customer", "rules"): (+1, "customer_needs_first", "puts customers above rules and policy"),
    ("customer", "profit"): (+1, "service_over_cost", "puts customers above profit and cost"),
    ("staff", "customer"): (-1, "employees_first", "puts staff above customers"),
    ("rules", "customer"): (-1, "rules_apply", "puts rules and policy above customers"),
}
SLOT_FILLERS = 3  # tokens a role slot admits besides its role word ("the needs of our employees")
BEFORE_WINDOW = 3
# German puts a clause's negation before its middle field ("wir können nicht für jeden Gast eine Ausnahme
# machen"); beyond BEFORE_WINDOW a negation reaches a cue only within its clause (no comma between)
NEGATION_WINDOW = {"de": 5}
# The most tokens that may lie between the members of a combination of word classes ("agents may
# end the call when a caller swears": 3); Japanese tokens are short (返金して is 返金/し/て).
COMBINATION_WINDOW = {"ja": 12}
COMBINATION_WINDOW_DEFAULT = 8
MEMBER_REACH = 2  # tokens a modifier inside a combination's span may stand before the member it acts on
NEGATION_MODES = ("flips", "required", "ignored")  # what a negation does to a combination
CUE_NEGATION_MODES = ("flips", "ignored")  # ... and to a cue ("required" needs a combination's act)
PARTIES = frozenset({"customer", "staff", "we", "abuse", "service"})  # classes that name who acts, or where
COMBINATION_BREAKS = frozenset({";", "；"})  # no combination spans these (nor a "but": concession modifiers)
AFTER_WINDOW = 4
VERDICT_WINDOW = {"ja": 10}  # tokens after a maxim its verdict may start ("という考え方は、従業員を疲弊させる")
VERDICT_WINDOW_DEFAULT = 6
MIN_EVIDENCE_INTERVAL = 3
SLOGAN_TYPES = frozenset({"customer_needs_first", "employees_first"})  # "customer first", "employees first"
# combinations that read a sentence in place of its cues of one argument type and sign: what
# empowered staff may do against abuse, and suspicion of honest customers deplored next to the cheats
READS_OVER = {"sanction_abuse": ("empower_staff", 1), "no_suspicion": ("customer_wrong", -1)}
SLOGAN_WEIGHT = 1.5  # the codebook's weight for a side's slogans
SLOGAN_EXTRA_TOKENS = 2  # a quote that names a slogan holds little else ("Kunde zuerst 2026")
MIN_EVIDENCE_WEIGHT = 1.0
LABEL_THRESHOLD = 0.2
MIXED_RATIO = 2 / 3
TURN_MIN_SIDE = 0.5  # evidence each side needs for a turn ("on the other hand") to make an article mixed
QUESTION_MARKS = frozenset({"?", "？"})
# Japanese asks with a final か, before a full stop or none (…と思いませんか。), but the のか of a
# title that explains (なぜ私たちは…に同意しないのか) is no question
QUESTION_PARTICLES = frozenset({"か"})
SENTENCE_END = frozenset({"。", "．", ".", "」", "』"})
QUESTION_TITLE = f"[{''.join(sorted(QUESTION_MARKS))}]"  # a title that asks counts as a turn
# ... unless it asks why: "Why we say yes to almost everything?" explains one side
WHY_TITLE = r"^\W*(?:why|warum|wieso|weshalb|pourquoi|por qué|почему|зачем|miért|なぜ|どうして)"
CLAUSE_EFFECTS = frozenset({"suppose", "whoever", "relative", "grant", "hearsay", "view", "continue"})
CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "、", "，", "；", "："})
# a negation before a cue does not reach across these ("jamás exigimos justificantes: confiamos en
# la palabra del pasajero" trusts the passenger's word)
COMPARISONS = frozenset({"than", "als", "que", "как", "чем", "mint", "como"})  # "plus vrai que jamais" denies nothing
TOPIC_PARTICLES = frozenset({"は", "も"})  # a 、 after these is no break: 「…」という言葉は、現場を苦しめてきた
STRONG_BREAKS = frozenset({";", ":", "；", "："})
# a practice given up ("j'ai arrêté de tout accepter", "dejamos de discutir") negates as "not" does
NEGATIONS = frozenset({"negation", "cessation"})
# Japanese case particles and the comma: what ends a noun phrase, where a relative clause ends in
# a verb or an adjective (スタッフを守らない会社 is one, 客の要求に現場 is not)
NOUN_PHRASE_ENDS = frozenset({"に", "を", "が", "は", "で", "と", "も", "の", "へ", "から", "まで", "より", "や",
                              "、", ","})
RELATIVE_REACH = 6  # tokens from a cue in a relative clause, or from the clause's end, to the outcome it has
# "…, or / otherwise they quit" warns of an outcome rather than reporting one
OTHERWISE = frozenset({"or", "otherwise", "else", "oder", "sonst", "ansonsten", "ou", "sinon", "o",
                       "или", "иначе", "vagy", "különben", "さもないと"})
# ... but not the "or" of "sooner or later" (рано или поздно, früher oder später, tôt ou tard, tarde o temprano,
# előbb vagy utóbb), which says when the outcome comes
SOONER = frozenset({"soon", "рано", "früh", "früher", "tôt", "tarde", "temprano", "antes", "előbb"})
# quantifiers that may stand between a practice given up and the cue that names it
QUANTIFIERS = frozenset({"every", "each", "all", "jed", "alle", "tout", "todo", "cada", "каждый", "все", "весь",
                         "любой", "minden", "mindent"})
# the writer's verdict on what others say ("many say …, and they are wrong / and they are right"):
# read only after a reported view
HEARSAY_VERDICTS = frozenset({"rebuttal", "agreement"})
# A comma before a subject pronoun opens a clause of its own: "we don't argue, we believe them"
# does not deny the belief (lemmas: German "wir" and "sie" read as "ich", French "elle" as "lui").
NEW_SUBJECTS = {
    "en": frozenset({"we", "i", "they", "you", "he", "she"}),
    "de": frozenset({"ich", "du", "er", "sie", "wir", "ihr", "man"}),
    "fr": frozenset({"nous", "je", "il", "lui", "on", "vous"}),  # elle, elles -> lui; ils -> il
    "es": frozenset({"nosotros", "yo", "él", "ella", "ellos", "ellas", "usted", "ustedes"}),
    "ru": frozenset({"мы", "я", "он", "она", "они", "вы"}),
    "hu": frozenset({"mi", "én", "ő", "ők", "ti"}),
}
# An after-cue modifier belongs to another predicate once one of these lies between: in Japanese an
# object or subject particle ("対応を打ち切った従業員を責めない" does not negate 打ち切る), elsewhere
# a "because" that opens a reason ("we back our staff because it is unfair to …" is no verdict on
# backing them).
AFTER_BARRIERS = {"ja": frozenset({"を", "が"}), "en": frozenset({"because"}), "de": frozenset({"weil", "denn"}),
                  "fr": frozenset({"car", "parce"}), "es": frozenset({"porque"}),
                  "ru": frozenset({"потому", "поскольку"}), "hu": frozenset({"mert"})}
_HAS_WORD = re.compile(r"[^\W_]")  # a token with a letter or digit, not punctuation
BOOTSTRAP = 1000
SENTENCE_COLUMNS = ["doc_id", "para_id", "sent_id", "text", "cues", "argument_types", "polarity", "score",
                    "cue_glosses", "turn"]
ARTICLE_COLUMNS = ["doc_id", "language", "stance_score", "ci_low", "ci_high", "stance_label", "n_evidence",
                   "argument_types"]


@dataclass(frozen=True)
class Cue:
    """One codebook entry."""

    cue_id: str
    lang: str
    pattern: str
    polarity: int
    weight: float
    argument_type: str
    description_en: str
    negation: str = "flips"  # or "ignored": a negation does not turn it (CUE_NEGATION_MODES)


@dataclass(frozen=True)
class Modifier:
    """A word or construction that acts on nearby cues: it flips, weakens or cancels them, names
    a maxim, concedes, or marks a clause, a bad outcome or what averts one (see the module doc)."""

    lang: str
    kind: str
    pattern: str
    scope: str
    effect: str


@cache
def load_codebook() -> dict[str, Cue]:
    """The stance cues by id. A cue's ``negation`` is ``flips`` (the default, left blank) or
    ``ignored``: an abusive customer named by a noun ("clients agressifs", "aggressive Kunden")
    argues for limits under a negated verb as well ("nous ne servons pas les clients agressifs",
    "wir dulden keine aggressiven Kunden")."""
    out = {}
    for r in read_rows(CODEBOOK):
        negation = r.get("negation") or "flips"
        if negation not in CUE_NEGATION_MODES:
            raise ValueError(f"{CODEBOOK}: {r['cue_id']} has negation {negation!r}; "
                             f"use one of {', '.join(CUE_NEGATION_MODES)}")
        out[r["cue_id"]] = Cue(r["cue_id"], r["lang"], r["pattern"], int(float(r["polarity"])), float(r["weight"]),
                               r["argument_type"], r["description_en"], negation)
    return out


@cache
def load_turns() -> dict[str, tuple[str, ...]]:
    """The patterns that turn to the other side of an argument ("on the other hand"), by language."""
    turns: dict[str, list[str]] = {}
    for r in read_rows(BALANCE):
        turns.setdefault(r["lang"], []).append(r["pattern"])
    return {lang: tuple(patterns) for lang, patterns in turns.items()}


@cache
def load_answers() -> tuple[tuple[Cue, str], ...]:
    """Short answers to the maxim named in the sentence before ("Not always.", "Нет."), as cues
    of argument type ``maxim`` with their kind (``ANSWER_KINDS``)."""
    answers = []
    for r in read_rows(ANSWERS):
        if r["kind"] not in ANSWER_KINDS:
            raise ValueError(f"{ANSWERS}: {r['answer_id']} has kind {r['kind']!r}; "
                             f"use one of {', '.join(ANSWER_KINDS)}")
        answers.append((Cue(r["answer_id"], r["lang"], r["pattern"], int(float(r["polarity"])), 1.0, "maxim",
                            r["description_en"]), r["kind"]))
    return tuple(answers)


def unread_words(code: str) -> list[tuple[str, str, str, str]]:
    """Lexicon words that never match: (file, row, word, reading) for each lemma in a stance
    lexicon of ``code`` that is no lemma of the language's lemmatiser (:func:`~servicelens.nlp.known_lemma`),
    so that no token is ever stored with it, and whose own reading its slot does not offer either
    (nor, for a role or a one-word class member, its role or class). Lexicons name dictionary
    forms, but a lemmatiser without POS reads some as other words (the Spanish table reads regla
    "rule" and reglas as reglar, the German one früher as früh), and lexicons name some inflected
    forms (Hungarian kollégáim "my colleagues", read as kolléga). Offer the reading as well
    (regla|reglar), or name the form itself (=früher, =kollégáim), where the form is what the
    cue means.
    Roles, turns and answers are read by lemma only, so a surface form there is listed too, with
    no reading. Words the lemmatiser splits into several tokens are not checked. Japanese and
    Hungarian are not checked: Sudachi reads a word by its neighbours (し alone is
    not the particle し), and simplemma strips affixes from forms its dictionary lacks
    (elvárásokon is read elvárások), so that what may be a lemma there is open."""
    if code in ("ja", "hu"):
        return []
    files = ((CODEBOOK, "pattern", "cue_id"), (MODIFIERS, "pattern", "kind"), (FRAMES, "pattern", "frame_id"),
             (CLASSES, "pattern", "class"), (ANSWERS, "pattern", "answer_id"), (BALANCE, "pattern", "pattern"),
             (ROLES, "lemma", "role"))
    slots = []  # (file, row label, the slot's word, whether the row is one word of a role or class)
    for name, column, label in files:
        for r in read_rows(name):
            if r["lang"] == code:
                words = [w for w in r[column].split() if w != "*" and not w.startswith("{")]
                slots += [(name, r[label], w, name in (ROLES, CLASSES) and len(words) == 1) for w in words]
    words = sorted({x for _, _, word, _ in slots for x in word.split("|") if x and not x.startswith("=")})
    readings = {w: [stance_key(t.lemma_, code) for t in doc if not t.is_space]
                for w, doc in zip(words, get_pipeline(code).nlp.pipe(words), strict=True)}

    groups: dict[tuple[str, str], set[str]] = {}  # a role's or class's one-word members
    for name, row, word, single in slots:
        if single:
            groups.setdefault((name, row), set()).update(_slot_keys(word, code))
    out = set()
    for name, row, word, single in slots:
        offered = _slot_keys(word, code) | (groups[(name, row)] if single else set())
        alternatives = word.split("|")
        for x in alternatives:
            if x.startswith("=") and name in LEMMA_ONLY:
                out.add((name, row, x, ""))  # these files are read by lemma: a form never matches
            read = readings.get(x, [])
            if len(read) == 1 and read[0] not in offered and f"={x}" not in alternatives and not known_lemma(x, code):
                out.add((name, row, x, read[0]))
    return sorted(out)


@cache
def load_modifiers() -> tuple[Modifier, ...]:
    """The modifiers, in file order. A scope or effect the matcher does not read is an error."""
    out = []
    for r in read_rows(MODIFIERS):
        for field, allowed in (("scope", MODIFIER_SCOPES), ("effect", MODIFIER_EFFECTS)):
            if r[field] not in allowed:
                raise ValueError(f"{MODIFIERS}: the {r['lang']} {r['kind']} row {r['pattern']!r} has {field} "
                                 f"{r[field]!r}; use one of {', '.join(allowed)}")
        out.append(Modifier(r["lang"], r["kind"], r["pattern"], r["scope"], r["effect"]))
    return tuple(out)


def _token_patterns(pattern: str, code: str, roles: dict[str, list[str]] | None = None) -> list[list[dict]]:
    """A lemma sequence as Matcher patterns; ``*`` is one optional arbitrary token, ``a|b``
    one of several lemmas and ``=form`` a surface form (``=a|b`` one of several forms, ``a|=b``
    the lemma a or the form b). In a priority frame, ``{role}`` is a role word (see
    :func:`load_frames`) with up to ``SLOT_FILLERS`` other tokens on each side that is not the
    pattern's edge ("the needs of our employees", 顧客の要望)."""
    words = pattern.split()
    out: list[dict | list[dict]] = []
    for i, w in enumerate(words):
        if w.startswith("{") and w.endswith("}"):
            fillers = [{"OP": "?"}] * SLOT_FILLERS
            out += [*(fillers if i > 0 else []), {"ORTH": {"IN": roles[w[1:-1]]}},
                    *(fillers if i < len(words) - 1 else [])]
        elif w == "*":
            out.append({"OP": "?"})
        elif "=" in w:  # a surface form: Japanese たら and なら have the lemmas た and だ
            # =a|b: either form; a|=b: the lemma a or the form b, as two patterns
            forms = [x.removeprefix("=").lower() for x in w.split("|")] if w.startswith("=") else \
                [x[1:].lower() for x in w.split("|") if x.startswith("=")]
            found = [{"NORM": {"IN": forms}}]
            lemmas = [] if w.startswith("=") else [stance_key(x, code) for x in w.split("|") if not x.startswith("=")]
            if lemmas:
                found.append({"ORTH": {"IN": lemmas}})
            out.append(found)
        elif "|" in w:
            out.append({"ORTH": {"IN": [stance_key(x, code) for x in w.split("|")]}})
        else:
            out.append({"ORTH": stance_key(w, code)})
    # a token of lemmas and forms both is either, so the pattern is one per choice
    choices = [x if isinstance(x, list) else [x] for x in out]
    return [list(p) for p in product(*choices)]


@dataclass(frozen=True)
class Frame:
    """A priority frame: a cue whose pattern puts one role (``{W}``) above another (``{L}``)."""

    cue: Cue
    roles: dict[str, list[str]]


@cache
def load_frames() -> tuple[Frame, ...]:
    """Priority frames ("put employees before customers", 顧客より従業員を優先) expanded into one
    cue per pair of roles in ``PRIORITY_PAIRS``; roles are lemma lists per language
    (``stance_roles.csv``)."""
    roles: dict[str, dict[str, list[str]]] = {}
    for r in read_rows(ROLES):
        roles.setdefault(r["lang"], {}).setdefault(r["role"], []).extend(
            stance_key(x, r["lang"]) for x in r["lemma"].split("|"))
    frames = []
    for r in read_rows(FRAMES):
        lang_roles = roles.get(r["lang"], {})
        for (winner, loser), (polarity, argument_type, description) in PRIORITY_PAIRS.items():
            if winner not in lang_roles or loser not in lang_roles:
                continue
            pattern = r["pattern"].replace("{W}", "{" + winner + "}").replace("{L}", "{" + loser + "}")
            cue = Cue(f"{r['frame_id']}:{winner}>{loser}", r["lang"], pattern, polarity, float(r["weight"]),
                      argument_type, description)
            frames.append(Frame(cue, lang_roles))
    return tuple(frames)


@dataclass(frozen=True)
class Combination:
    """A combination of word classes that argues a side when all of them occur close together
    in a sentence no cue reaches ("agents may end a call when a caller swears": staff, a
    sanction and abuse)."""

    cue: Cue
    slots: tuple[frozenset[str], ...]  # each filled by a member of one of its classes ("staff|we")
    negation: str = "flips"  # or "required" ("we never argue over fault"), or "ignored" (NEGATION_MODES)


class Member(NamedTuple):
    """A class member found in a sentence: its tokens and its class."""

    start: int
    end: int
    name: str


@cache
def load_classes() -> dict[str, dict[str, tuple[str, ...]]]:
    """Word classes by language (``stance_classes.csv``): class name to its members, each a lemma
    pattern in the codebook's syntax ("hang up", "benefit of the doubt", 出入り 禁止)."""
    classes: dict[str, dict[str, list[str]]] = {}
    for r in read_rows(CLASSES):
        classes.setdefault(r["lang"], {}).setdefault(r["class"], []).append(r["pattern"])
    return {lang: {name: tuple(members) for name, members in by_class.items()} for lang, by_class in classes.items()}


@cache
def load_combinations() -> tuple[Combination, ...]:
    """The combinations (``stance_combinations.csv``), one cue per language whose classes fill
    every slot of the combination; a slot ``staff|we`` takes a member of either class."""
    out = []
    for r in read_rows(COMBINATIONS):
        for lang, by_class in sorted(load_classes().items()):
            slots = tuple(frozenset(c for c in slot.split("|") if c in by_class) for slot in r["classes"].split())
            if all(slots):
                cue = Cue(f"{r['combination_id']}_{lang}", lang, " + ".join(r["classes"].split()),
                          int(float(r["polarity"])), float(r["weight"]), r["argument_type"], r["description_en"])
                mode = r["negation"].strip() or "flips"
                if mode not in NEGATION_MODES:
                    raise ValueError(f"{COMBINATIONS}: {r['combination_id']} has negation {mode!r}, "
                                     f"not one of {', '.join(NEGATION_MODES)}")
                out.append(Combination(cue, slots, mode))
    return tuple(out)


@dataclass(frozen=True)
class CueMatch:
    """A cue found in a sentence, after modifiers."""

    cue: Cue
    start: int
    end: int
    polarity: int
    weight: float
    modifiers: tuple[str, ...]

    @property
    def signed(self) -> float:
        return self.polarity * self.weight


class StanceMatcher:
    """Finds cues and applies modifiers in sentences of one language.

    >>> StanceMatcher("en").match(["the", "customer", "be", "not", "always", "right"])  # doctest: +SKIP
    [CueMatch(cue=..., polarity=-1, ...)]
    """

    def __init__(self, code: str) -> None:
        self.code = code
        self.vocab = Vocab()
        self.cues = Matcher(self.vocab)
        self.modifiers = Matcher(self.vocab)
        self._cue_ids: dict[str, Cue] = {}
        slots: dict[str, dict[str, list[str]]] = {}  # a frame's role words, by cue id
        for cue in load_codebook().values():
            if cue.lang == code:
                self.cues.add(cue.cue_id, _token_patterns(cue.pattern, code))
                self._cue_ids[cue.cue_id] = cue
        for frame in load_frames():
            if frame.cue.lang == code:
                self.cues.add(frame.cue.cue_id, _token_patterns(frame.cue.pattern, code, frame.roles))
                self._cue_ids[frame.cue.cue_id] = frame.cue
                slots[frame.cue.cue_id] = frame.roles
        self._order = {cid: i for i, cid in enumerate(self._cue_ids)}
        # A cue matches only where each of its lemmas (or one of its alternatives, or one of a
        # slot's role words, or a form it names) occurs. Each cue is indexed under
        # one of these groups, the one least likely to be in a sentence: the one whose words the
        # fewest cues use ("not", "be" and "customer" are in many; "harassment" is rare), so that
        # most sentences are skipped without building a Doc.
        self._groups: list[tuple[frozenset[str], ...]] = [
            tuple(frozenset(slots[cue.cue_id][w[1:-1]]) if w.startswith("{") else _slot_keys(w, code)
                  for w in cue.pattern.split() if w != "*")
            for cue in self._cue_ids.values()
        ]
        uses = Counter(w for groups in self._groups for w in set().union(*groups))
        self._by_word: dict[str, list[int]] = {}
        for i, groups in enumerate(self._groups):
            if groups:
                key = min(groups, key=lambda g: (sum(uses[w] for w in g), -min(map(len, g))))
                for w in key:
                    self._by_word.setdefault(w, []).append(i)
        # Combinations of word classes, read where no cue matched. Their cues join the lookup
        # after the groups above, which index the codebook's cues and frames only.
        self._combinations = tuple(c for c in load_combinations() if c.cue.lang == code)
        classes = load_classes().get(code, {})
        self._classes: dict[str, Matcher] = {}
        # Each class member is indexed like a cue, under its rarest group of lemmas, with all its
        # groups, so that a sentence shows which classes it could hold before a Doc is built.
        members = [(name, tuple(_slot_keys(w, code) for w in member.split() if w != "*"))
                   for name, by_name in classes.items() for member in by_name]
        member_uses = Counter(w for _, groups in members for g in groups for w in g)
        self._member_index: dict[str, list[tuple[str, tuple[frozenset[str], ...]]]] = {}
        for name, groups in members:
            for w in min(groups, key=lambda g: (sum(member_uses[w] for w in g), -min(map(len, g)))):
                self._member_index.setdefault(w, []).append((name, groups))
        for name, by_name in classes.items():
            self._classes[name] = Matcher(self.vocab)
            self._classes[name].add(name, [p for member in by_name for p in _token_patterns(member, code)])
        for combination in self._combinations:
            self._cue_ids[combination.cue.cue_id] = combination.cue
            self._order[combination.cue.cue_id] = len(self._order)
        self._negation = {c.cue.cue_id: c.negation for c in self._combinations}
        self._acts = {c.cue.cue_id: c.slots[0] for c in self._combinations}  # what a required negation denies
        self._window = COMBINATION_WINDOW.get(code, COMBINATION_WINDOW_DEFAULT)
        self._negation_window = NEGATION_WINDOW.get(code, BEFORE_WINDOW)
        self._mods: dict[str, Modifier] = {}
        for i, mod in enumerate(load_modifiers()):
            if mod.lang == code:
                key = f"mod{i}"
                self.modifiers.add(key, _token_patterns(mod.pattern, code))
                self._mods[key] = mod
        self._surface = any("=" in w for pattern in (
            *(x.pattern for x in (*self._cue_ids.values(), *self._mods.values())),
            *(m for by_name in classes.values() for m in by_name)) for w in pattern.split())
        self._barriers = AFTER_BARRIERS.get(code, frozenset())
        self._subjects = NEW_SUBJECTS.get(code, frozenset())
        self.turns = Matcher(self.vocab)
        turns = load_turns().get(code, ())
        for i, pattern in enumerate(turns):
            self.turns.add(f"turn{i}", _token_patterns(pattern, code))
        # the words a sentence needs for some turn pattern (each pattern's words, all required),
        # and each pattern's longest word, to find the few sentences worth a look; the latter as
        # stored lemmas are lower-cased (match_key), since score_sentences compares those
        self._turn_words = [frozenset(stance_key(w, code) for w in p.split() if w != "*") for p in turns]
        self.turn_vocabulary = frozenset(match_key(max((w for w in p.split() if w != "*"), key=len), code)
                                         for p in turns)
        self.answers = Matcher(self.vocab)
        self._answers: dict[str, tuple[Cue, str]] = {}
        self._fillers: set[str] = set()  # words an elliptic answer may stand with ("well", "так вот")
        for cue, kind in load_answers():
            if cue.lang != code:
                continue
            if kind == "filler":
                self._fillers.update(stance_key(w, code) for w in cue.pattern.split("|"))
            else:
                self.answers.add(cue.cue_id, _token_patterns(cue.pattern, code))
                self._answers[cue.cue_id] = (cue, kind)
        # each question's lemmas, so that a sentence after no maxim is looked at only if it may ask
        # one; and of each, the group of lemmas least likely in a sentence (the longest words), as
        # stored lemmas are lower-cased (match_key), for score_sentences to find the few worth a look
        questions = [cue.pattern.split() for cue, kind in self._answers.values() if kind == "question"]
        self._questions = [tuple(_slot_keys(w, code) for w in words if w != "*") for words in questions]
        self.question_vocabulary = frozenset(
            match_key(x, code) for words in questions
            for x in max((w for w in words if w != "*"), key=lambda w: min(map(len, w.split("|")))).split("|"))

    def opens_with(self, lemmas: list[str], effect: str) -> bool:
        """Whether a sentence opens, after any quotation mark or dash, with a modifier of this
        effect that may open one: "But" (``concede``), or "Of course" (``admit``), which grants
        what a later "But" sentence of the paragraph then answers."""
        words = [stance_key(w, self.code) or "_" for w in lemmas[:OPENING_TOKENS]]
        first = next((i for i, w in enumerate(words) if w not in _LEADING_MARKS), None)
        return first is not None and any(
            s == first and mod.effect == effect and mod.scope in ("opening", "after")
            for mod, s, _ in self._modifiers_in(Doc(self.vocab, words=words), opening=True))

    def turns_to_other_side(self, lemmas: list[str]) -> bool:
        """Whether a sentence turns to the other side of an argument ("on the other hand",
        "с другой стороны,", andererseits)."""
        words = [stance_key(w, self.code) or "_" for w in lemmas]
        present = set(words)
        if not any(group <= present for group in self._turn_words):
            return False
        return bool(self.turns(Doc(self.vocab, words=words)))

    def answer(self, lemmas: list[str], *, after: str | None) -> CueMatch | None:
        """In a sentence where no cue matched, a short answer to the maxim named in the sentence
        before (``after``: ``"maxim"``, or ``"question"`` where that sentence asks it): "Not
        always." with at most filler words besides (``elliptic``), or "No, ..." opening the reply
        to a question (``reply``). A question in turn answers nothing; a maxim it asks
        (``question``) is returned with weight 0, so that the next sentence may reply to it."""
        words = [stance_key(w, self.code) or "_" for w in lemmas]
        if after is None and not any(all(not g.isdisjoint(words) for g in groups) for groups in self._questions):
            return None
        lexical = [i for i, w in enumerate(lemmas) if _HAS_WORD.search(w)]
        found = []
        for m, s, e in self.answers(Doc(self.vocab, words=words)):
            cue, kind = self._answers[self.vocab.strings[m]]
            if kind == "question":
                if _asks(words, e):
                    found.append((1, s, e, cue))
            elif _asks(words, len(words)) or after is None:
                continue  # a question answers nothing
            elif (kind == "elliptic" and all(s <= i < e or words[i] in self._fillers for i in lexical)) or \
                    (kind == "reply" and after == "question" and s == min(lexical, default=-1)):
                found.append((0, s, e, cue))
        if not found:
            return None
        question, s, e, cue = min(found, key=lambda x: x[:3])
        if question:
            return CueMatch(cue, s, e, cue.polarity, 0.0, ("question",))
        return CueMatch(cue, s, e, cue.polarity, cue.weight, ("answer",))

    def _could_match(self, words: set[str]) -> bool:
        return any(all(not g.isdisjoint(words) for g in self._groups[i])
                   for w in words for i in self._by_word.get(w, ()))

    def _modifiers_in(self, doc: Doc, *, opening: bool = False) -> list[tuple[Modifier, int, int]]:
        """The modifiers in a sentence; those that count only where they open one (scope
        ``opening``) are left to :meth:`opens_with`, unless ``opening``."""
        found = [(self._mods[self.vocab.strings[m]], s, e) for m, s, e in self.modifiers(doc)]
        return found if opening else [(mod, s, e) for mod, s, e in found if mod.scope != "opening"]

    def _combinable(self, words: set[str]) -> frozenset[str]:
        """The classes worth matching in a sentence: those that could fill a slot of a combination
        whose every slot could be filled (each of a member's lemmas, or one of its alternatives,
        occurs)."""
        present = {name for w in words for name, groups in self._member_index.get(w, ())
                   if all(not g.isdisjoint(words) for g in groups)}
        return frozenset(name for c in self._combinations if all(not slot.isdisjoint(present) for slot in c.slots)
                         for slot in c.slots for name in slot & present)

    def _combine(self, doc: Doc, classes: frozenset[str], breaks: list[int],
                 negations: list[tuple[Modifier, int, int]]) -> dict[tuple[int, int], tuple[str, tuple[Member, ...]]]:
        """The combinations in a sentence, by span: its cue id and its members. For each
        combination, the span that holds one member of each of its slots with the fewest other
        tokens between them, at most the window, each slot filled by a different span, and none
        of ``breaks`` (a "but", a semicolon) between two members ("the team defended well, but
        the striker was violent"); a comma may lie between ("if a guest insults staff, the
        manager may ask him to leave"). A combination that requires a negation is left out here
        where no negation denies its act (:func:`_denies`), so that an unread quarrel does not take
        the span of another combination ("we side with the guest when staff quarrel over who is at
        fault"), and where another combination overlaps it."""
        words = [t.text for t in doc]
        found: dict[str, list[Member]] = {name: [Member(s, e, name) for _, s, e in self._classes[name](doc)]
                                          for name in sorted(classes)}
        candidates: list[tuple[tuple[int, int], str, tuple[Member, ...]]] = []
        out: dict[tuple[int, int], tuple[str, tuple[Member, ...]]] = {}
        for combination in self._combinations:
            fillers = [sorted(m for name in slot for m in found.get(name, ())) for slot in combination.slots]
            if not all(fillers):
                continue
            best: tuple[int, int, int, tuple[Member, ...]] | None = None
            # anchored on the slot with the fewest members, the others are looked for nearby only,
            # so that a long sentence full of class words stays cheap
            anchor = min(range(len(fillers)), key=lambda i: len(fillers[i]))
            reach = self._window + sum(max(m.end - m.start for m in slot) for slot in fillers)
            for a in fillers[anchor]:
                near = [[m for m in slot if m.start <= a.end + reach and a.start <= m.end + reach]
                        if i != anchor else [a] for i, slot in enumerate(fillers)]
                for picks in product(*near):
                    if len({(m.start, m.end) for m in picks}) < len(picks):
                        continue  # one word cannot fill two slots; a member may hold another ("in the renter's favour")
                    start, end = min(m.start for m in picks), max(m.end for m in picks)
                    between = end - start - len(set().union(*(range(m.start, m.end) for m in picks)))
                    if between > self._window or any(
                            start <= b < end and not any(m.start <= b < m.end for m in picks) for b in breaks):
                        continue
                    candidate = (between, start, end, tuple(sorted(picks)))
                    if best is None or candidate < best:
                        best = candidate
            if best is None:
                continue
            _, start, end, picked = best
            if combination.negation == "required":
                act = next(m for m in picked if m.name in combination.slots[0])
                if not any(_in_scope(mod, s, e, start, end) and _denies(s, e, act, words) for mod, s, e in negations):
                    continue
            candidates.append(((start, end), combination.cue.cue_id, picked))
        # one read only where negated is the weaker reading: it yields to another that overlaps it
        # ("she does not need to justify ending a call with an abusive caller" sanctions abuse)
        firm = [span for span, cid, _ in candidates if self._negation[cid] != "required"]
        for span, cid, picked in candidates:  # in file order: the first on a span wins
            if self._negation[cid] != "required" or not any(o[0] < span[1] and span[0] < o[1] for o in firm):
                out.setdefault(span, (cid, picked))
        return out

    def match(self, lemmas: list[str], forms: Sequence[str] | None = None) -> list[CueMatch]:
        """The cues in one sentence (longest where they overlap), with modifiers applied.
        ``forms``, the tokens as written, are read by the patterns that name a surface form
        (``=form``): without them those do not match."""
        if not lemmas or not self._cue_ids:
            return []
        words = [stance_key(w, self.code) or "_" for w in lemmas]
        present = set(words)
        if forms is not None and self._surface:  # for the words a pattern names by their form
            present.update(form.lower() for form in forms)
        cued = self._could_match(present)  # most sentences lack some word of every cue
        combinable = self._combinable(present) if self._combinations else frozenset()
        if not cued and not combinable:
            return []
        doc = Doc(self.vocab, words=words)
        if forms is not None and self._surface:
            for token, form in zip(doc, forms, strict=True):
                token.norm_ = form.lower()
        question = _asks(words, len(words))
        # among several cues on the same span, the first in codebook order wins
        best: dict[tuple[int, int], str] = {}
        for m, s, e in self.cues(doc) if cued else ():
            cid = self.vocab.strings[m]
            if (s, e) not in best or self._order[cid] < self._order[best[(s, e)]]:
                best[(s, e)] = cid
        mods = None
        members: dict[tuple[int, int], tuple[Member, ...]] = {}  # a combination's members
        # the combinations that may read the sentence over one of its cues (looked for only where a
        # combination could match at all)
        overridable = {(self._cue_ids[cid].argument_type, self._cue_ids[cid].polarity)
                       for cid in best.values()} if combinable else set()
        reads_over = {name for name, kind in READS_OVER.items() if kind in overridable}
        if combinable and (not best or reads_over):
            mods = self._modifiers_in(doc)
            breaks = sorted({s for mod, s, _ in mods if mod.effect == "concede"}
                            | {i for i, w in enumerate(words) if w in COMBINATION_BREAKS})
            negations = [(mod, s, e) for mod, s, e in mods if mod.kind in NEGATIONS]
            combined = self._combine(doc, combinable, breaks, negations)
            if best:
                # a combination of READS_OVER reads the sentence in place of the cues it overrides
                combined = {span: found for span, found in combined.items()
                            if found[0].rsplit("_", 1)[0] in reads_over}
                overridden = {READS_OVER[found[0].rsplit("_", 1)[0]] for found in combined.values()}
                best = {span: cid for span, cid in best.items()
                        if (self._cue_ids[cid].argument_type, self._cue_ids[cid].polarity) not in overridden}
            best.update({span: cid for span, (cid, _) in combined.items()})  # where no cue is
            members = {span: picked for span, (_, picked) in combined.items()}
        if not best:
            return []
        if mods is None:
            mods = self._modifiers_in(doc)
        spans = filter_spans([doc[s:e] for s, e in best])
        # A question that opens so ("who would argue with a paying guest?", "why should staff put
        # up with insults?", "since when …?") argues: it denies what it asks.
        rhetorical = None
        if question:
            first = next((i for i, w in enumerate(words) if w not in _LEADING_MARKS and w not in ("¿", "¡")), None)
            rhetorical = next(((mod, s, e) for mod, s, e in mods if mod.kind == "rhetorical" and s == first), None)
        question = question and rhetorical is None
        # nor does its "when" or "who" open a clause ("since when …?", "кто станет спорить …?")
        mods = [(mod, s, e) for mod, s, e in mods if mod.kind != "rhetorical"
                and not (rhetorical is not None and rhetorical[1] <= s and e <= rhetorical[2])]
        # Constructions where negative words do not negate (an obligation, a reminder, negative
        # concord) cancel the negations inside them.
        cancels = [(s, e) for mod, s, e in mods if mod.effect == "cancel"]
        # "not because A, but because B": A is no reason, and the "but" concedes nothing
        reasons = [(s, e) for mod, s, e in mods if mod.effect == "reason"]
        mods = [(mod, s, e) for mod, s, e in mods
                if mod.effect not in ("cancel", "reason") and not any(cs <= s and e <= ce for cs, ce in cancels)
                and not (mod.effect == "concede" and any(rs < s < re for rs, re in reasons))]
        clauses = _clauses(words, [(mod, s, e) for mod, s, e in mods if mod.effect in CLAUSE_EFFECTS])
        verdict_rows = [(mod, s, e) for mod, s, e in mods if mod.kind == "verdict"]
        denials = [(mod, s, e) for mod, s, e in mods if mod.kind == "negation" and mod.effect == "flip"]
        outcomes = [(s, e) for mod, s, e in mods if mod.kind == "outcome" and mod.effect == "bad"]
        # what keeps a bad outcome from being one: a negation ("staff will not quit") or a
        # reducer ("fewer people quit", 離職が減る)
        averted = [(mod, s, e) for mod, s, e in mods
                   if mod.kind in NEGATIONS or (mod.kind == "outcome" and mod.effect == "reduce")]
        # a verdict of scope "after" ("is a myth", は間違い) also flips any other cue it follows, as a
        # negation does ("arguing with customers is an outdated idea"); one of scope "maxim" is read
        # only as a verdict on the maxim or a slogan (see _verdict)
        mods = [(mod, s, e) for mod, s, e in mods if mod.effect not in CLAUSE_EFFECTS and mod.kind != "outcome"
                and (mod.kind != "verdict" or (mod.scope == "after" and mod.effect == "flip"))]
        corrections = [(mod, s, e) for mod, s, e in mods if mod.effect == "correct"]
        concessions = [s for mod, s, e in mods if mod.effect == "concede"]
        mentions = [(mod, s, e) for mod, s, e in mods if mod.effect == "mention"]
        marks = _VerdictMarks(
            [(mod, s, e) for mod, s, e in verdict_rows if mod.effect in ("flip", "affirm")], denials,
            [s for mod, s, e in verdict_rows if mod.effect == "refer"],
            [*concessions, *(c.lo for c in clauses if c.kind not in ("relative", "view")),
             *(s for mod, s, e in verdict_rows if mod.effect == "block"),
             *(s for mod, s, e in mods if mod.kind == "qualification")],  # "roi dans la limite du raisonnable"
            [s for mod, s, e in verdict_rows if mod.effect == "alternative"],
            [s for mod, s, e in verdict_rows if mod.effect == "report"],
            [s for mod, s, e in verdict_rows if mod.effect == "object"])
        mods = [(mod, s, e) for mod, s, e in mods if mod.effect not in ("correct", "concede", "mention")]
        out = []
        for span in sorted(spans, key=lambda sp: sp.start):
            cue = self._cue_ids[best[(span.start, span.end)]]
            picked = members.get((span.start, span.end))
            applied = [(mod, s, e) for mod, s, e in mods
                       if _in_scope(mod, s, e, span.start, span.end, before=self._negation_window
                                    if mod.kind in NEGATIONS and not CLAUSE_BREAKS.intersection(words[e:span.start])
                                    else BEFORE_WINDOW)
                       and not (mod.scope == "after" and self._barriers.intersection(words[span.end:s]))
                       and not (mod.scope == "before" and STRONG_BREAKS.intersection(words[e:span.start]))
                       and not (mod.kind in NEGATIONS and mod.scope == "before"
                                and _new_clause(words, e, span.start, self._subjects))
                       # "instead of X" turns the X it names, in its own clause, not a cue that names it itself
                       # ("plutôt que de céder aux clients")
                       and not (mod.kind == "instead" and (span.start <= s < span.end or CLAUSE_BREAKS.intersection(
                           words[e:span.start] if mod.scope == "before" else words[span.end:s])))
                       and not (mod.kind in NEGATIONS and _closed_before(s, span.start, clauses))
                       # what is given up begins at once ("stopped giving in", not "stopped serving
                       # customers who abuse staff"; a quantifier may come first: „aufgehört, jeden
                       # Wunsch zu erfüllen“), or ends at once in Japanese (〜のはやめて); a cue
                       # that names the stopping itself ("stop arguing with customers") reads it
                       and not (mod.kind == "cessation"
                                and (e != span.start and not (e + 1 == span.start and words[e] in QUANTIFIERS)
                                     if mod.scope == "before" else s != span.end))
                       and _reaches_member(s, e, span.start, span.end, picked)]
            # a combination is in the clause that holds its acts: a party it names may stand outside
            # ("администратор поддерживает кассира — даже если … решить в пользу покупателя")
            acts = [m for m in picked or () if m.name not in PARTIES]
            lo, hi = (min(m.start for m in acts), max(m.end for m in acts)) if acts else (span.start, span.end)
            # a cue inside a hearsay marker, before its verb, names the topic of what is reported
            # ("Kritiker der Kulanz warnen, dass ..."), as the clause after it does
            clause = min((c for c in clauses if c.kind != "relative" and (
                (c.start <= lo and hi <= c.end) or (c.kind in ("hearsay", "view") and c.lo <= lo and hi < c.start))),
                         key=lambda c: c.end - c.start, default=None)
            # "a team which must swallow everything gets sick": the relative clause is read as an
            # if-clause, but only where a bad outcome follows what it says
            relative = _relative_outcome(words, span.start, span.end, clause, clauses, outcomes, averted)
            clause = relative or clause
            if clause is not None and clause.kind in ("suppose", "relative"):
                # "if we make an exception for one, we are unfair to the rest": an evaluation after
                # an if-clause is its outcome (read below), not a verdict that negates it
                applied = [(m, s, e) for m, s, e in applied if m.kind != "verdict" or (
                    s < clause.hi and not any(os < e and s < oe for os, oe in outcomes))]
            named = addressed = False
            verdict: _Verdict | None = None
            slogan = cue.argument_type in SLOGAN_TYPES and cue.weight >= SLOGAN_WEIGHT
            if clause is not None and clause.kind == "view":
                # "the old idea that staff must put up with everything": a view named is reported, not
                # argued; the maxim or a slogan named so is read by the mention rows, with its verdict
                clause = None if cue.argument_type == "maxim" or slogan else replace(clause, kind="hearsay")
            # "many say the customer is always right, and they are wrong / right": a verdict on the
            # maxim or a slogan others state; a cue that names only part of what they say
            # ("manche sagen, Kulanz ruiniere das Geschäft, aber das ist Unsinn") takes none
            if clause is None or clause.kind != "hearsay" or not (cue.argument_type == "maxim" or slogan):
                applied = [(m, s, e) for m, s, e in applied if m.kind not in HEARSAY_VERDICTS]
            if cue.argument_type == "maxim" or slogan:
                applied = [(m, s, e) for m, s, e in applied if m.kind != "verdict"]  # read by _verdict
                quote_end = _quote_end(words, span.start, span.end)
                if slogan and quote_end is not None and _reported(words, span.start, span.end, quote_end):
                    quote_end = None  # a quoted claim ("We put our staff first, always," says the owner)
                reached = [mod for mod, s, e in mentions if _in_scope(mod, s, e, span.start, span.end, inside=False)]
                # "ask the customer first" names a slogan's words as an order of steps, which takes
                # no verdict either; "tell your staff the customer is always right" still argues
                addressed = slogan and any(mod.kind == "addressee" for mod in reached)
                introduced = [mod.scope for mod in reached if mod.kind != "addressee"]
                named = quote_end is not None or bool(introduced)
                if clause is None:  # in a clause, the maxim is supposed, granted or reported
                    quoted = quote_end is not None
                    verdict = _verdict(words, _quote_start(words, span.start) if quoted else span.start,
                                       quote_end + 1 if quoted else span.end, marks,
                                       VERDICT_WINDOW.get(self.code, VERDICT_WINDOW_DEFAULT),
                                       introduced="before" in introduced)
                if verdict is not None:  # the negations that deny the verdict are its own
                    applied = [found for found in applied if found not in verdict.modifiers]
                elif quote_end is not None:
                    # A quoted maxim is named; what the writer thinks of it follows the quote,
                    # unless the negation is corrected ("«Le client est roi» n'est pas un
                    # slogan, c'est une stratégie"): what the maxim is said to be then carries
                    # the verdict, unread here.
                    after = [(mod, s, e) for mod, s, e in mods
                             if mod.kind == "negation" and quote_end < s <= quote_end + AFTER_WINDOW]
                    if after and not any(s > after[0][1] for _, s, _ in corrections):
                        applied += after
            flip = any(m.effect == "flip" for m, _, _ in applied)
            if verdict is not None:
                applied += verdict.modifiers
                flip = flip != verdict.condemns
            negation = self._negation.get(cue.cue_id, cue.negation)
            if negation == "required" and picked:
                act = next(m for m in picked if m.name in self._acts[cue.cue_id])
                flip = any(m.effect == "flip" and _denies(s, e, act, words) for m, s, e in applied)
            if rhetorical is not None:
                flip = not flip
                applied.append(rhetorical)
            if not flip and negation == "required":
                continue  # "staff argued over who was to blame" reports a quarrel; "we never argue over it" argues
            weaken = any(m.effect == "weaken" for m, _, _ in applied)
            weight = cue.weight * (0.5 if weaken else 1.0)
            condition = ""
            voiced = applied  # the modifiers that are the writer's own
            if clause is not None and clause.kind == "hearsay":
                # "many say that the customer is always right / that you must set limits": what
                # others say is named, not argued, unless the writer's verdict comes with it; a
                # negation inside what they say is theirs ("you've heard the advice: customers
                # don't know what they want")
                named, condition = True, "hearsay"
                voiced = [(m, s, e) for m, s, e in applied
                          if not (m.kind in NEGATIONS and clause.start <= s and e <= clause.end)]
            elif clause is not None:
                bad = relative is not None or any(
                    (e <= clause.lo or s >= clause.hi) and not _averted(words, s, e, averted) for s, e in outcomes)
                if clause.kind == "grant" and any(m.kind == "verdict" and s >= clause.end for m, s, _ in applied):
                    pass  # "お客様と口論しても、何の得にもなりません": the even-if clause is judged futile, not granted
                elif clause.kind == "grant":  # "even if A, B" and "I used to think A": A is not the point
                    condition, weight = "granted", 0.0
                elif cue.argument_type == "maxim" and not (bad and not flip):
                    condition, weight = "if", 0.0  # supposed, not asserted
                elif cue.argument_type != "maxim" and flip and clause.negated_at_head(
                        span.start, [(s, e) for m, s, e in applied if m.kind in NEGATIONS]):
                    condition, flip = "if not", False  # "if you don't back your staff, ..."
                elif bad:  # "if the customer is always right, staff burn out": the clause argues against itself
                    condition, flip = "if, bad outcome", not flip
            if negation == "ignored":
                # "we don't treat guests like suspects" argues as "treating guests like suspects
                # drives them away" does: neither a negation nor a bad outcome turns it
                flip = False
                applied = [(m, s, e) for m, s, e in applied if m.kind not in NEGATIONS]
                condition = "" if condition in ("if not", "if, bad outcome") else condition
            # "A, but B": a cue that ends, with its modifiers, before the "but" is conceded.
            reach = max([span.end, *(e for _, _, e in applied)])
            conceded = any(s >= reach for s in concessions)
            if any(rs < span.start and span.end < re for rs, re in reasons):
                condition, weight = "not the reason", 0.0
            if question or conceded or addressed or (named and not voiced):
                weight = 0.0
            out.append(CueMatch(
                cue=cue, start=span.start, end=span.end, polarity=-cue.polarity if flip else cue.polarity,
                weight=weight,
                modifiers=tuple(sorted({f"{m.kind}:{m.pattern}" for m, _, _ in applied}
                                       | ({"concession"} if conceded else set())
                                       | ({f"condition:{condition}"} if condition else set()))),
            ))
        return out


def _reaches_member(s: int, e: int, start: int, end: int, members: tuple[Member, ...] | None) -> bool:
    """Whether a modifier at tokens s..e may act on a cue or combination at start..end. Outside
    the span, or on a cue (no members), it may. Inside a combination's span it acts only on a
    member: it lies inside one ("nicht automatisch auf die Seite stellen"), or ends at most
    ``MEMBER_REACH`` tokens before one ("n'ont jamais eu l'autorisation de rembourser"). A member
    that names a party (``PARTIES``: the customer, staff, the business, abuse, a service desk) is
    not what a negation before it denies ("end the call when a caller won't stop swearing";
    "защищать кассиров, а не извиняться перед хамом")."""
    if not members or not start < s < end:
        return True
    return any((m.start <= s and e <= m.end) or (m.name not in PARTIES and m.start - MEMBER_REACH <= e <= m.start)
               for m in members)


def _denies(s: int, e: int, act: Member, words: list[str]) -> bool:
    """Whether a negation at tokens s..e denies the act of a combination that requires one (the
    member of its first slot): it lies inside the act or follows it ("wir verlangen niemals einen
    Kassenbon", 求めておりません), or stands before it in the same clause ("nicht mit dem Kunden
    über Zuständigkeiten streiten"). A negation before a comma denies another verb ("the customer
    could not find the receipt, and had to leave"; "nem tudjuk, mit kell igazolni")."""
    return s >= act.start or not CLAUSE_BREAKS.intersection(words[e:act.start])


class _VerdictMarks(NamedTuple):
    """Where a sentence's modifiers bear on a verdict on the maxim (see :func:`_verdict`)."""

    verdicts: list[tuple[Modifier, int, int]]  # ``flip`` and ``affirm`` verdict rows
    denials: list[tuple[Modifier, int, int]]  # negations
    refers: list[int]  # words that point back to the maxim: это, das, la formule
    stops: list[int]  # what a verdict does not reach past: "but", a clause marker, "and", "so"
    alternatives: list[int]  # "or": one of two verdicts is none ("myth or reality")
    reports: list[int]  # a verdict reported, not given: 古いと言われる
    objects: list[int]  # the maxim as a thing: a sign, a poster


class _Verdict(NamedTuple):
    """A verdict on the maxim: its modifiers (the verdict and the negations that deny it) and
    whether it condemns the maxim."""

    modifiers: list[tuple[Modifier, int, int]]
    condemns: bool


def _verdict(words: list[str], begins: int, ends: int, marks: _VerdictMarks, window: int, *,
             introduced: bool) -> _Verdict | None:
    """The writer's verdict on a maxim or slogan whose words (with their quotation marks) run
    from ``begins`` to ``ends``, with the negations that deny it ("is not a myth", "kein
    Mythos", 幻想ではない; "stimmt nicht"); None if there is none.

    The verdict is the first ``verdict`` row of effect ``flip`` or ``affirm`` that starts within
    the ``window`` tokens after the maxim, in the same clause: no break, "but", clause marker or
    ``block`` word ("and", "so", поэтому) comes between. Breaks in the first two tokens are
    allowed where a ``refer`` word is the break (the Russian dash of a copula) or follows it,
    pointing back to the maxim ("«Клиент всегда прав» — это миф", "– das ist überholt", ": la
    formule qui épuise les équipes"), or where the maxim was introduced as a saying ("der Satz,
    dass der Kunde König ist, ist veraltet"); the window then counts from after them. A break
    after a one-word verdict only ends its clause („…” hülyeség, és …). A 、 after a Japanese
    topic is no break. A verdict is not given where an ``alternative`` comes before
    it or just after it ("myth or reality"), or a ``report`` just after it (古いと言われる), nor
    near an ``object`` word that makes the maxim a thing ("hung on a sign that was damaged",
    "табличку «…» погубила сырость"). It condemns the maxim if it is a ``flip`` verdict not
    denied, or an ``affirm`` one denied ("does not hold")."""
    def breaks(i: int, j: int) -> bool:
        return any(words[k] in CLAUSE_BREAKS and not (words[k] == "、" and k and words[k - 1] in TOPIC_PARTICLES)
                   for k in range(i, j))

    leading = [i for i in range(ends, min(ends + 2, len(words))) if breaks(i, i + 1)]
    if leading and leading[0] > ends and any(s == ends for _, s, _ in marks.verdicts):
        leading = []  # a one-word verdict before a comma: „…” hülyeség, és …
    reach = leading[-1] + 1 if leading else ends  # where the verdict may start
    if leading and not introduced and not any(leading[0] <= r <= reach + 1 for r in marks.refers):
        return None
    for mod, s, e in sorted(marks.verdicts, key=lambda v: v[1]):
        if not reach <= s < reach + window:
            continue
        if breaks(reach, s) or any(reach <= c < s for c in marks.stops):
            return None
        if any(reach <= a <= e + 3 for a in marks.alternatives) or any(e <= r <= e + 3 for r in marks.reports) \
                or any(begins - 3 <= o <= e for o in marks.objects):
            return None
        denied = [(m, ds, de) for m, ds, de in marks.denials
                  if reach <= ds < s or (e <= ds <= e + 2 and not breaks(e, ds)
                                         and not COMPARISONS.intersection(words[e:ds]))]
        return _Verdict([(mod, s, e), *denied], (mod.effect == "flip") != bool(denied))
    return None


def _in_scope(mod: Modifier, s: int, e: int, start: int, end: int, *, inside: bool = True,
              before: int = BEFORE_WINDOW) -> bool:
    """Whether a modifier at tokens s..e reaches the cue at start..end: a "before" modifier ends
    at most ``before`` tokens before the cue (``BEFORE_WINDOW``; ``NEGATION_WINDOW`` for a negation
    in the cue's clause) or lies inside it, if ``inside``; an
    "after" modifier starts at most ``AFTER_WINDOW`` tokens after it, a "next" one right after it
    (German "Ausnahmen machen wir nicht"); a "near" one is either "before" or "after". A "maxim"
    one reaches no cue this way: it is read by :func:`_verdict`."""
    if mod.scope == "next":
        return s == end
    if mod.scope == "near":
        return start - BEFORE_WINDOW <= e <= start or end <= s <= end + AFTER_WINDOW
    if mod.scope == "before":
        return start - before <= e <= start or (inside and start <= s and e <= end)
    return mod.scope == "after" and end <= s <= end + AFTER_WINDOW


def _averted(words: list[str], s: int, e: int, averted: list[tuple[Modifier, int, int]]) -> bool:
    """Whether a bad outcome at tokens s..e is negated ("staff will not quit") or reduced ("fewer
    people quit"); a negation inside its own words ("they will never come back") is part of it,
    and one in the clause before ("eine Firma, die ihre Leute nicht schützt, verliert sie") is not
    its own."""
    return any(_in_scope(m, ms, me, s, e, inside=False)
               and not CLAUSE_BREAKS.intersection(words[me:s] if me <= s else words[e:ms]) for m, ms, me in averted)


def _relative_outcome(words: list[str], start: int, end: int, clause: _Clause | None, clauses: list[_Clause],
                      outcomes: list[tuple[int, int]], averted: list[tuple[Modifier, int, int]]) -> _Clause | None:
    """The relative clause that holds the cue at start..end and is followed by a bad outcome, which
    then reads as an if-clause: "a support team which must swallow everything gets sick", "ein
    Team, das alles schlucken muss, wird krank", «сотрудник, который должен всё терпеть, уходит».
    The outcome follows the cue closely (``RELATIVE_REACH``), in the clause or just after it,
    with no other break between, and is not averted; "otherwise" between them makes it a
    warning, not a result ("staff who set limits must be backed, or they quit"). A Japanese
    relative clause comes before the noun it describes, which closes it (「スタッフを守らない会社は、
    …保てない」): the comma after that noun is the clause's own break too. One in another
    relative, granted or reported clause is not the head's ("un client qui épuise vos équipes,
    qui abuse de vos politiques"). Inside a hearsay or granted clause, or one that begins
    outside the if-clause holding it, a relative clause is not read so."""
    relative = min((c for c in clauses if c.kind == "relative" and c.start <= start and end <= c.end),
                   key=lambda c: c.end - c.start, default=None)
    if relative is None or (clause is not None and (clause.kind != "suppose"
                                                    or not clause.start <= relative.lo < clause.end)):
        return None
    for s, e in outcomes:
        # just after the cue in its own clause, or just after the clause ends (its closing comma
        # the only break between), not in a clause of its own, and not averted
        near = s - end <= RELATIVE_REACH if s < relative.end else s - relative.end <= RELATIVE_REACH
        if (s >= end and near and not any(w in OTHERWISE and words[k - 1] not in SOONER
                                          for k, w in enumerate(words[end:s], end))
                and all(words[k] not in CLAUSE_BREAKS for k in range(end, s) if not relative.end <= k <= relative.hi)
                and not any(c.start <= s < c.end for c in clauses if c is not relative and c.kind != "suppose")
                and not _averted(words, s, e, averted)):
            return relative
    return None


def _new_clause(words: list[str], e: int, start: int, subjects: frozenset[str]) -> bool:
    """Whether a comma and a subject pronoun lie between a negation ending at token ``e`` and a cue
    at ``start``: the cue is in a clause of its own ("we don't argue, we believe them")."""
    return any(words[k] in CLAUSE_BREAKS and words[k + 1] in subjects for k in range(e, start))


def _closed_before(s: int, start: int, clauses: list[_Clause]) -> bool:
    """Whether a negation at token ``s`` lies in a clause (an if-, when- or granted clause) that
    ends before the cue at ``start`` begins: "when you tell me something isn't working, I believe
    you" does not deny the belief."""
    return any(c.start <= s < c.end <= start for c in clauses)


def _asks(words: list[str], end: int) -> bool:
    """Whether a sentence is a question (its mark may be followed by a closing quote; Japanese
    asks with a final か too, not with the のか of an explaining title) that asks what ends at
    token ``end``: the mark lies at most ``ASKED_TOKENS`` tokens after it. With ``end`` at the
    sentence's end, whether it is a question at all."""
    marks = [i for i in range(max(len(words) - 2, 0), len(words)) if words[i] in QUESTION_MARKS or (
        words[i] in QUESTION_PARTICLES and SENTENCE_END.issuperset(words[i + 1:]) and words[i - 1:i] != ["の"])]
    return bool(marks) and marks[-1] - end <= ASKED_TOKENS


@dataclass(frozen=True)
class _Clause:
    """A clause that a marker opens or closes (``kind``: the marker's effect, suppose, grant or
    hearsay): its tokens ``start..end`` and, with its marker, ``lo..hi``."""

    start: int
    end: int
    lo: int
    hi: int
    kind: str
    inner: tuple[int, ...] = ()  # where a complement clause begins inside it ("if we say that ...")

    def negated_at_head(self, cue_start: int, negations: list[tuple[int, int]]) -> bool:
        """Whether the clause's own predicate is negated ("if you don't back your staff"), not a
        clause inside it ("if we make clear that staff need not comply"): the cue is not inside a
        complement clause, and in Japanese the negation ends where the marker begins
        (しなければ, しないと)."""
        if any(c < cue_start for c in self.inner):
            return False
        return self.lo < self.start or any(e == self.end for _, e in negations)


def _clauses(words: list[str], markers: list[tuple[Modifier, int, int]]) -> list[_Clause]:
    """The if-clauses (``suppose``), granted clauses (``grant``: even if, and what the writer used
    to think) and reported ones (``hearsay``: "many say that ...") of a sentence.

    A marker that comes first ("if", "wenn", "si", "если", "ha") opens a clause that runs to the
    next clause break, unless a ``continue`` word follows the break ("Ha az üzenet az, hogy ...,
    akkor"); a Japanese marker (ば, たら, なら, と、) closes the clause that runs from the
    previous break, and so does the noun after a Japanese relative clause (会社は), unless a
    case particle ends what comes before it (a noun phrase, not a clause). The "if" inside
    "even if" is not a clause of its own. A ``whoever`` marker (wer, кто, aki) supposes like
    "if" where it opens its sentence or clause ("Кто спорит с клиентом, теряет его"); after a
    clause break it begins a relative clause that describes someone ("... для тех, кто громче
    кричит"). A relative clause (``relative``: who, which, который, qui, aki; that ``whoever``
    clause) supposes nothing unless a bad outcome follows what it says (see
    :func:`_relative_outcome`).
    """
    grants = [(s, e) for mod, s, e in markers if mod.effect == "grant"]
    continues = {s for mod, s, e in markers if mod.effect == "continue"}
    out = []
    for mod, s, e in markers:
        if mod.effect == "continue" or words[e:e + 1] == ["-"]:
            continue  # a marker before a hyphen is part of a word: Russian когда-либо, кто-то
        if mod.effect == "whoever":
            effect = "relative" if s > 0 and words[s - 1] in CLAUSE_BREAKS else "suppose"
            mod = Modifier(mod.lang, mod.kind, mod.pattern, mod.scope, effect)
        if mod.effect == "suppose" and any(gs <= s and e <= ge for gs, ge in grants):
            continue
        if mod.effect == "relative" and mod.scope == "after" and (s == 0 or words[s - 1] in NOUN_PHRASE_ENDS):
            continue  # 「客の過剰な要求に現場は疲弊」: a noun phrase, not a clause, comes before the noun
        if mod.scope == "before":  # a break just after the marker ("Autrefois, ...") does not end it
            end = next((i for i in range(e + 1, len(words)) if words[i] in CLAUSE_BREAKS and i + 1 not in continues),
                       len(words))
            out.append(_Clause(e, end, s, end, mod.effect, tuple(c for c in continues if e <= c < end)))
        else:
            start = max((i + 1 for i in range(s) if words[i] in CLAUSE_BREAKS), default=0)
            out.append(_Clause(start, s, start, e, mod.effect))
    return out


# Marks that open or close a quotation; some (“ and ") do both, depending on the language.
_OPENING = {"«", "“", "„", "「", "『", '"', "‹"}
_CLOSING = {"»", "”", "“", "」", "』", '"', "›"}
_SPEAKER_MARKS = {",", "—", "–", "-", "と"}  # lead out of a quotation into its speaker
_LEADING_MARKS = _OPENING | {"—", "–", "-", "(", "•", "*"}  # may stand before a sentence's first word


def _quote_end(words: list[str], start: int, end: int) -> int | None:
    """If tokens start..end lie inside quotation marks, the index of the closing mark (or the
    sentence's end when the quote runs on); else None.

    A quote opened in the previous sentence (the sentencizer may split inside one) shows as a
    closing-only mark (», ”, 」) after the span with no opening mark before it.
    """
    depth = 0
    for w in words[:start]:
        if depth and w in _CLOSING:  # a mark that can close does so when a quote is open
            depth -= 1
        elif w in _OPENING:
            depth += 1
    for i in range(end, len(words)):
        w = words[i]
        if w in _CLOSING and (depth or w not in _OPENING):
            return i
        if w in _OPENING:
            return None  # a new quotation begins: ours, if any, was closed before it
    return len(words) if depth else None


def _quote_start(words: list[str], start: int) -> int:
    """The index of the opening mark of the quotation that holds a cue starting at ``start`` (-1
    if it opened in an earlier sentence)."""
    return next((i for i in range(start - 1, -1, -1) if words[i] in _OPENING), -1)


def _reported(words: list[str], start: int, end: int, quote_end: int) -> bool:
    """Whether the quotation around a cue at ``start..end``, closing at ``quote_end``, reports what
    someone said rather than names a slogan: it holds more than the cue and
    ``SLOGAN_EXTRA_TOKENS`` others, or a comma or dash leads out of it into the speaker («…», —
    говорит директор; "…," she says; 「…」と社長は語る)."""
    opening = _quote_start(words, start)
    if quote_end - opening - 1 > end - start + SLOGAN_EXTRA_TOKENS:
        return True
    return words[quote_end - 1] == "," or (quote_end + 1 < len(words) and words[quote_end + 1] in _SPEAKER_MARKS)


@cache
def get_matcher(code: str) -> StanceMatcher:
    """The stance matcher of a language (empty for languages without cues)."""
    return StanceMatcher(code)


def score_sentences(tokens: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence: its cues, argument types, polarity and score (see module doc). A
    short answer to the maxim named in the sentence before ("Клиент всегда прав? Нет.") is read
    as the answer's cue, and the maxim it answers is then named, not claimed."""
    positions = tokens.groupby(["doc_id", "sent_id"], sort=False).indices
    lemmas, forms = tokens["lemma"].to_numpy(), tokens["text"].to_numpy()
    none = np.empty(0, dtype=np.intp)
    matchers = [get_matcher(code) for code in sentences["language"].unique()]

    def holding(vocabulary: set[str]) -> set[tuple[str, int]]:  # the sentences that hold one of these lemmas
        maybe = tokens.loc[tokens["lemma"].str.lower().isin(vocabulary), ["doc_id", "sent_id"]]
        return set(zip(maybe["doc_id"], maybe["sent_id"], strict=True))

    # sentences that may turn to the other side, or ask the maxim in a question's order (for a
    # reply after them): they hold a word of some such pattern
    maybe_turn = holding({w for m in matchers for w in m.turn_vocabulary})
    maybe_asking = holding({w for m in matchers for w in m.question_vocabulary})
    rows: list[dict] = []
    before = None  # the last sentence with words in the same article: row index, lemmas, matches
    admitted = None  # the paragraph's last evidence, where it opens with "of course": ids, row index, matches
    for s in sentences.sort_values(["doc_id", "sent_id"], kind="stable").itertuples():
        where = positions.get((s.doc_id, s.sent_id), none)
        matcher = get_matcher(s.language)
        sent_lemmas = lemmas[where].tolist()
        matches = matcher.match(sent_lemmas, forms[where])
        if before is not None and rows[before[0]]["doc_id"] != s.doc_id:
            before = None
        # a maxim the sentence before names or asks, and has not rejected already
        named = before is not None and any(m.cue.argument_type == "maxim" and m.polarity >= 0 for m in before[2])
        if not matches and (named or (s.doc_id, s.sent_id) in maybe_asking):
            words = [stance_key(w, s.language) for w in before[1]] if named else []
            asked = named and any(_asks(words, m.end) for m in before[2] if m.cue.argument_type == "maxim")
            answer = matcher.answer(sent_lemmas, after="question" if asked else "maxim" if named else None)
            if answer is not None:
                matches = [answer]
            if answer is not None and answer.weight:
                # the maxim answered is named, not claimed: "Клиент всегда прав. Так вот, не всегда."
                claims = [m if m.cue.argument_type != "maxim" or m.weight == 0 or m.polarity == answer.polarity else
                          CueMatch(m.cue, m.start, m.end, m.polarity, 0.0, (*m.modifiers, "answered"))
                          for m in before[2]]
                if claims != before[2]:
                    rows[before[0]] = _sentence_row(rows[before[0]], claims, rows[before[0]]["turn"])
        if admitted is not None and (admitted[0], admitted[1]) != (s.doc_id, s.para_id):
            admitted = None
        if admitted is not None and _opposed(admitted[3], matches) and matcher.opens_with(sent_lemmas, "concede"):
            # "Of course, the customer is not always right. [...] But we never argue with one.":
            # what an earlier sentence of the paragraph admits, this one answers with the other side
            conceded = [CueMatch(m.cue, m.start, m.end, m.polarity, 0.0, (*m.modifiers, "conceded"))
                        for m in admitted[3]]
            rows[admitted[2]] = _sentence_row(rows[admitted[2]], conceded, rows[admitted[2]]["turn"])
            admitted = None
        turn = (s.doc_id, s.sent_id) in maybe_turn and matcher.turns_to_other_side(sent_lemmas)
        rows.append(_sentence_row(s._asdict(), matches, turn))
        if any(_HAS_WORD.search(w) for w in sent_lemmas):  # a line of dashes is no sentence between
            before = (len(rows) - 1, sent_lemmas, matches)
        if any(m.weight for m in matches):  # the paragraph's last evidence, if it opens by admitting
            admitted = (s.doc_id, s.para_id, len(rows) - 1, matches) if matcher.opens_with(sent_lemmas, "admit") \
                else None
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def _opposed(first: list[CueMatch], second: list[CueMatch]) -> bool:
    """Whether two sentences' evidence argues opposite sides."""
    return sum(m.signed for m in first) * sum(m.signed for m in second) < 0


def _sentence_row(s: dict, matches: list[CueMatch], turn: bool) -> dict:
    """A sentence's row of ``score_sentences`` (``s`` holds its ids and text)."""
    total = max(-1.0, min(1.0, float(sum(m.signed for m in matches))))  # np.clip is slow on a scalar
    return {
        "doc_id": s["doc_id"], "para_id": s["para_id"], "sent_id": s["sent_id"], "text": s["text"],
        "cues": "; ".join(m.cue.cue_id + (f" [{', '.join(m.modifiers)}]" if m.modifiers else "") for m in matches),
        "argument_types": "; ".join(sorted({m.cue.argument_type for m in matches})),
        "polarity": int(np.sign(total)), "score": round(total, 6),
        "cue_glosses": "; ".join(
            ("NOT " if m.polarity != m.cue.polarity else "") + m.cue.description_en for m in matches),
        "turn": turn,
    }


def article_score(scores: Iterable[float]) -> float:
    """(P - C) / (P + C + 1) over sentence scores; 0 for no evidence."""
    arr = np.asarray(list(scores), dtype=float)
    pos, neg = arr[arr > 0].sum(), -arr[arr < 0].sum()
    return float((pos - neg) / (pos + neg + 1.0))


def label_article(scores: Iterable[float], *, turns: bool = False) -> str:
    """The stance label of an article from its evidence sentences' scores and whether it turns
    to the other side in so many words, or asks a question in its title (see module doc)."""
    arr = np.asarray([x for x in scores if x != 0], dtype=float)
    if np.abs(arr).sum() < MIN_EVIDENCE_WEIGHT:
        return "no_stance"
    pos, neg = arr[arr > 0].sum(), -arr[arr < 0].sum()
    if min(pos, neg) >= MIN_EVIDENCE_WEIGHT and min(pos, neg) >= MIXED_RATIO * max(pos, neg) - 1e-9:
        return "mixed"
    if turns and min(pos, neg) >= TURN_MIN_SIDE:
        return "mixed"
    score = article_score(arr)
    if score >= LABEL_THRESHOLD:
        return "endorses"
    if score <= -LABEL_THRESHOLD:
        return "rejects"
    return "no_stance"


def score_articles(stance_sentences: pd.DataFrame, documents: pd.DataFrame, *, seed: int = 42) -> pd.DataFrame:
    """One row per analysed article: score, bootstrap 90% interval, label, evidence count and
    argument types (with counts). Articles without evidence get score 0 and ``no_stance``. A
    ``turn`` column, where present, marks the sentences that turn to the other side, and a
    ``title`` column in ``documents`` the titles that ask a question."""
    ok = documents.loc[documents["status"] == "ok", ["doc_id", "language"]].sort_values("doc_id")
    evidence = stance_sentences[stance_sentences["score"] != 0]
    turning = set(stance_sentences.loc[stance_sentences["turn"].astype(bool), "doc_id"]) \
        if "turn" in stance_sentences else set()
    if "title" in documents:  # a question for a title announces a weighing, as a turn does
        titles = documents["title"].fillna("").str.strip()
        asking = titles.str.contains(QUESTION_TITLE) & ~titles.str.lower().str.contains(WHY_TITLE)
        turning |= set(documents.loc[asking, "doc_id"])
    rows = {}
    for doc_id, group in evidence.groupby("doc_id", sort=True):  # few articles carry evidence
        scores = group["score"].to_numpy(dtype=float)
        ci_low = ci_high = np.nan
        if len(scores) >= MIN_EVIDENCE_INTERVAL:
            # a generator per article, so that an interval does not depend on the other articles
            rng = np.random.default_rng([seed, int(hashlib.sha256(doc_id.encode()).hexdigest()[:12], 16)])
            samples = rng.choice(scores, size=(BOOTSTRAP, len(scores)), replace=True)
            ci_low, ci_high = np.quantile([article_score(row) for row in samples], [0.05, 0.95])
        types = pd.Series([t for cell in group["argument_types"] for t in cell.split("; ") if t]).value_counts()
        rows[doc_id] = {
            "stance_score": round(article_score(scores), 6), "ci_low": round(float(ci_low), 6),
            "ci_high": round(float(ci_high), 6), "stance_label": label_article(scores, turns=doc_id in turning),
            "n_evidence": len(scores),
            "argument_types": "; ".join(f"{t} {n}" for t, n in sorted(types.items(), key=lambda x: (-x[1], x[0]))),
        }
    empty = {"stance_score": 0.0, "ci_low": np.nan, "ci_high": np.nan, "stance_label": "no_stance",
             "n_evidence": 0, "argument_types": ""}
    table = pd.DataFrame([{"doc_id": d, "language": lang, **rows.get(d, empty)}
                          for d, lang in zip(ok["doc_id"], ok["language"], strict=True)], columns=ARTICLE_COLUMNS)
    return table.astype({"n_evidence": "int64"})

LABELS = ("pro", "contra", "neutral")


def sentence_label(polarity: int) -> str:
    """The annotation label of a sentence polarity: +1 pro, -1 contra, 0 neutral."""
    return {1: "pro", -1: "contra"}.get(int(polarity), "neutral")


def evaluate_sentences(stance_sentences: pd.DataFrame, gold: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precision, recall and F1 per label (pro, contra, neutral) and their macro average, plus the
    confusion matrix. Gold rows are joined on (doc_id, text), so a re-segmentation that keeps a
    sentence whole keeps its label."""
    pred = stance_sentences.assign(predicted=stance_sentences["polarity"].map(sentence_label))
    joined = gold.merge(pred[["doc_id", "text", "predicted"]].drop_duplicates(["doc_id", "text"]),
                        on=["doc_id", "text"], how="left")
    joined["predicted"] = joined["predicted"].fillna("neutral")
    rows = []
    for label in LABELS:
        tp = int(((joined["label"] == label) & (joined["predicted"] == label)).sum())
        n_pred, n_gold = int((joined["predicted"] == label).sum()), int((joined["label"] == label).sum())
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        rows.append({"label": label, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                     "support": n_gold})
    table = pd.DataFrame(rows)
    macro = {"label": "macro", **table[["precision", "recall", "f1"]].mean().to_dict(), "support": len(joined)}
    table = pd.concat([table, pd.DataFrame([macro])], ignore_index=True).round(3)
    confusion = pd.crosstab(joined["label"], joined["predicted"]).reindex(index=LABELS, columns=LABELS, fill_value=0)
    return table, confusion


def article_agreement(stance_articles: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The scorer's article labels against the annotator's label and the reference reading
    (``reference`` lists the acceptable labels, separated by |)."""
    table = gold.merge(stance_articles[["doc_id", "stance_label", "stance_score", "n_evidence"]], on="doc_id")
    table["matches_annotator"] = table["stance_label"] == table["label"]
    table["within_reference"] = [pred in ref.split("|") for pred, ref in
                                 zip(table["stance_label"], table["reference"], strict=True)]
    return table[["doc_id", "label", "reference", "stance_label", "stance_score", "n_evidence",
                  "matches_annotator", "within_reference"]]
