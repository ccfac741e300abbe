"""Validation against human coding: the package as one more coder (docs/codebook.md, all variables).

The gold file (YAML; ``corpus/afghanistan-2021/gold-example.yaml`` is an example) lists hand-coded articles::

    corpus: .                          # the corpus folder, relative to the gold file
    coder: initials                    # who coded (free text)
    articles:
      - id: seed-000
        sentences:                     # the coded sample of sentences; the others are not compared
          - text: "The government in Kabul accused"   # the sentence, or its first words
            blame:                     # docs/codebook.md section 2 (an empty list: no blame)
              - {actor: taliban, kind: accusation, attributor: afghan_government}
            stance: {taliban: -1, afghan_government: 0}   # section 3, for the actors coded
        stance: {taliban: -1, russia: 0}   # optional: the author's stance toward actors, whole article
        attributions:                  # section 4, for the whole article
          - {text: "Kremlin spokesman Dmitry Peskov told", form: partial, speaker: Dmitry Peskov,
             source_type: government, origin: russia, named: true}

A sentence is found by its text (white space folded; the first sentence of the article that starts
with it). Reported per variable: precision, recall and F1 of framing's codes against the gold codes,
percent agreement and Krippendorff's alpha (``krippendorff`` package; nominal, stance ordinal) over
the units both could code:

- ``blame``: codes as (sentence, actor, kind, attributor); agreement and alpha over (sentence, actor)
  units of the coded sentences with the kind, or "none", as the value;
- ``blame_actor``: the same codes as (sentence, actor) only;
- ``stance``: (sentence, actor) units of the gold stance; F1 is macro over the three polarities;
  framing's missing code counts as disagreement in the agreement and as missing in alpha;
- ``article_stance``: (article, actor) units of the gold article-level stance (the article's
  ``stance``: the author's stance over the whole article) against the package's ``stance_label`` in
  the ``actors`` table (the article value at the shipped cut points); beside it, in the same run, the
  peers ``article_stance_mean_band`` (the plain mean of every sentence value labelled with the
  codebook's sentence band: the article value before issue 29) and ``article_stance_always_neutral``;
- ``attribution``: attributions as (sentence, speaker), a speaker matching when one name contains the
  other ("Peskov", "Dmitry Peskov"); for the matched ones, agreement and alpha of
  ``form``, ``source_type``, ``origin`` and ``named`` (variables ``attribution_<field>``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import yaml
from sklearn.metrics import f1_score

from ._yaml import YamlLimitError
from ._yaml import load as load_yaml
from .errors import FramingError
from .paths import OutsideRoot, inside

_POLARITY = {"negative": -1, "neutral": 0, "positive": 1}
# the package's article label, then the peers measured beside it in the same run
ARTICLE_STANCE = ("article_stance", "article_stance_mean_band", "article_stance_always_neutral")
FIELDS = ("form", "source_type", "origin", "named")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_gold(path: str | os.PathLike) -> dict:
    path = Path(path)
    try:
        doc = load_yaml(path.read_bytes())
    except (OSError, yaml.YAMLError, YamlLimitError) as err:
        raise FramingError(f"{path}: cannot read the gold file: {err}") from err
    if not isinstance(doc, dict) or not isinstance(doc.get("articles"), list):
        raise FramingError(f"{path}: expected a mapping with 'corpus' and a list 'articles' "
                           "(see framing.validate)")
    doc["_path"] = path
    return doc


def _sentence_index(evidence_sentences: dict[int, str], text: str, where: str) -> int:
    wanted = _fold(text)
    for index in sorted(evidence_sentences):
        if _fold(evidence_sentences[index]).startswith(wanted):
            return index
    raise FramingError(f"{where}: no sentence of the article starts with {text!r}; copy the words "
                       "from the article's text")


def validate(gold_path: str | os.PathLike, codebook=None, stance_method: str = "transformer",
             cache_dir=None) -> pd.DataFrame:
    """Score the gold file's corpus and compare it with the gold codes; one row per variable."""
    from .corpus import load_corpus
    from .parse import ParseCache, default_cache_dir, load_model, parse
    from .pipeline import score
    from .stance import settings as stance_settings
    from .stance.lexicon import label_of

    gold = read_gold(gold_path)
    try:  # the gold file names its corpus relative to its own folder, and inside it
        corpus_path = inside(gold["_path"].parent, str(gold.get("corpus", "corpus")), "gold file's folder")
    except OutsideRoot as err:
        raise FramingError(f"{gold['_path']}: corpus: refused: {err}") from None
    corpus_path = corpus_path.resolve()
    corpus = load_corpus(corpus_path)
    wanted = [a["id"] for a in gold["articles"]]
    missing = [i for i in wanted if i not in corpus.ids]
    if missing:
        raise FramingError(f"{gold['_path']}: articles {missing} are not in the corpus {corpus_path}")
    articles = [corpus[i] for i in wanted]
    result = score(articles, codebook=codebook, stance_method=stance_method, progress=False,
                   cache_dir=cache_dir)
    nlp = load_model()
    docs = parse([a.text for a in articles], nlp,  # from the cache that score() just filled
                 cache=ParseCache(cache_dir or default_cache_dir(), nlp))
    ev = result.evidence
    units: dict[str, list] = {"blame": [], "stance": [], "attribution": [], "attribution_found": [],
                              **{name: [] for name in ARTICLE_STANCE}}
    band = stance_settings(codebook)["neutral_band"]
    table = result.actors.set_index(["article_id", "actor"])
    for g, article, doc in zip(gold["articles"], articles, docs):
        sentences = {i: s.text for i, s in enumerate(doc.sents)}
        rows = ev[ev.article_id == article.id]
        where = f"{gold['_path']}: article {article.id}"
        for k, s in enumerate(g.get("sentences") or []):
            sid = _sentence_index(sentences, s["text"], f"{where} sentence {k}")
            here = rows[rows.sentence_index == sid]
            if "blame" in s:
                gold_codes = {(c["actor"], c["kind"], c["attributor"]) for c in s["blame"] or []}
                blame = here[here.family == "blame"]
                found = {(r.actor, r.label, r.attributor) for r in blame.itertuples()}
                units["blame"].append((sid, gold_codes, found))
            for actor, polarity in (s.get("stance") or {}).items():
                stance = here[(here.family == "stance") & (here.actor == actor)]
                value = _POLARITY[stance.label.iloc[0]] if len(stance) else None
                units["stance"].append((int(polarity), value))
        for actor, polarity in (g.get("stance") or {}).items():  # the author's, over the whole article
            if polarity not in (-1, 0, 1) or isinstance(polarity, bool):
                raise FramingError(f"{where}: stance.{actor}: expected -1, 0 or 1, got {polarity!r}")
            coded = (article.id, actor) in table.index and table.loc[(article.id, actor), "stance_n"] > 0
            row = table.loc[(article.id, actor)] if coded else None
            found = {"article_stance": _POLARITY[row.stance_label] if coded else None,
                     "article_stance_mean_band": _POLARITY[label_of(row.stance_mean, band)]
                     if coded else None,
                     "article_stance_always_neutral": 0}
            for name in ARTICLE_STANCE:
                units[name].append((int(polarity), found[name]))
        if "attributions" in g:  # coded for the whole article: framing's others are false positives
            found_attr = list(rows[rows.family == "attribution"].itertuples())
            units["attribution_found"].append(len(found_attr))
            free = list(found_attr)
            for k, a in enumerate(g["attributions"] or []):
                sid = _sentence_index(sentences, a["text"], f"{where} attribution {k}")
                hit = next((r for r in free if int(r.sentence_index) == sid
                            and _same_speaker(str(a["speaker"]), r.source)), None)
                if hit is not None:
                    free.remove(hit)
                units["attribution"].append((sid, a, hit))
    return _report(units)


def _same_speaker(gold: str, found: str) -> bool:
    """Speakers match when one name contains the other ("Peskov" and "Dmitry Peskov")."""
    a, b = _fold(gold).lower(), _fold(found).lower()
    return bool(a and b) and (a in b or b in a)


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _alpha(pairs: list[tuple], level: str = "nominal") -> float:
    """Krippendorff's alpha of two coders; values are mapped to numbers, None is missing."""
    if not pairs:
        return float("nan")
    values = sorted({v for pair in pairs for v in pair if v is not None}, key=str)
    if level == "nominal":
        code = {v: i for i, v in enumerate(values)}
        data = [[code[v] if v is not None else np.nan for v in coder] for coder in zip(*pairs)]
    else:
        data = [[float(v) if v is not None else np.nan for v in coder] for coder in zip(*pairs)]
    if len(values) < 2:
        return 1.0 if all(a == b for a, b in pairs) else float("nan")
    return float(krippendorff.alpha(reliability_data=np.asarray(data, dtype=float),
                                     level_of_measurement=level))


def _report(units: dict) -> pd.DataFrame:
    rows = []
    blame = units["blame"]
    gold_codes = {(sid, *c) for sid, g, _ in blame for c in g}
    found_codes = {(sid, *c) for sid, _, f in blame for c in f}
    p, r, f = _prf(len(gold_codes & found_codes), len(found_codes), len(gold_codes))
    actors = sorted({c[1] for c in gold_codes | found_codes})
    pairs = []
    for _, g, fo in blame:
        for actor in actors:
            gk = next((k for a, k, _ in sorted(g) if a == actor), "none")
            fk = next((k for a, k, _ in sorted(fo) if a == actor), "none")
            pairs.append((gk, fk))
    rows.append(_row("blame", len(gold_codes), p, r, f, pairs))
    gold_actor = {(c[0], c[1]) for c in gold_codes}
    found_actor = {(c[0], c[1]) for c in found_codes}
    p, r, f = _prf(len(gold_actor & found_actor), len(found_actor), len(gold_actor))
    rows.append(_row("blame_actor", len(gold_actor), p, r, f, pairs))
    rows.append(_polarity_row("stance", units["stance"]))
    if units["article_stance"]:
        rows += [_polarity_row(name, units[name]) for name in ARTICLE_STANCE]
    attr = units["attribution"]
    tp = sum(1 for _, _, fo in attr if fo is not None)
    p, r, f = _prf(tp, sum(units["attribution_found"]), len(attr))
    rows.append({"variable": "attribution", "n_gold": len(attr), "precision": p, "recall": r, "f1": f,
                 "agreement": np.nan, "alpha": np.nan})
    for field in FIELDS:
        pairs = [(a[field], getattr(fo, field) if field != "named" else bool(fo.named))
                 for _, a, fo in attr if fo is not None and field in a]
        rows.append({"variable": f"attribution_{field}", "n_gold": len(pairs), "precision": np.nan,
                     "recall": np.nan, "f1": np.nan,
                     "agreement": (sum(x == y for x, y in pairs) / len(pairs)) if pairs else np.nan,
                     "alpha": _alpha(pairs)})
    table = pd.DataFrame(rows)
    for column in ("precision", "recall", "f1", "agreement"):
        table[column] = (100 * table[column]).round(1)
    table["alpha"] = table["alpha"].round(3)
    return table


def _polarity_row(variable: str, units: list[tuple]) -> dict:
    """Macro F1 over the three polarities of the units framing coded, recall (the share it coded),
    agreement (a missing code disagrees) and ordinal alpha (a missing code is missing)."""
    coded = [(g, fo) for g, fo in units if fo is not None]
    macro = f1_score([g for g, _ in coded], [fo for _, fo in coded], average="macro",
                     labels=[-1, 0, 1]) if coded else 0.0
    return {"variable": variable, "n_gold": len(units), "precision": np.nan,
            "recall": len(coded) / len(units) if units else 0.0, "f1": macro,
            "agreement": (sum(g == fo for g, fo in units) / len(units)) if units else np.nan,
            "alpha": _alpha(units, "ordinal")}


def _row(variable: str, n_gold: int, p: float, r: float, f: float, pairs: list[tuple]) -> dict:
    agreement = sum(a == b for a, b in pairs) / len(pairs) if pairs else np.nan
    return {"variable": variable, "n_gold": n_gold, "precision": p, "recall": r, "f1": f,
            "agreement": agreement, "alpha": _alpha(pairs)}
