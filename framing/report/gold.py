"""Sentence-by-sentence agreement of the scores with a gold file (``framing validate``'s format).

For each gold article, each coded sentence is found as ``framing validate`` finds it (its first words,
white space folded) among the sentences of the article's evidence rows, else among the text's
sentences cut by the same parser. A sentence agrees when framing's blame codes (actor, kind,
attributor) equal the human ones, every stance the coder gave has the same polarity in framing's rows,
and every attribution the coder placed in the sentence was found there (the speaker matching as in
``framing validate``). The marks say which of these differ, with both codes.
"""

from __future__ import annotations

import os

import pandas as pd

from ..corpus import Corpus
from ..errors import FramingError
from ..validate import _POLARITY, _same_speaker, _sentence_index, read_gold

_LABEL = {v: k for k, v in _POLARITY.items()}


def _sentences(text: str) -> list[tuple[int, int]]:
    """The article's sentences as the scorer cut them (the parse cache makes this cheap)."""
    from ..evidence import sentence_bounds, sentences
    from ..parse import parse_cached

    doc = next(parse_cached([text]))
    return [sentence_bounds(s) for s in sentences(doc)[0]]


def sentence_agreement(gold_path: str | os.PathLike, corpus: Corpus, evidence: pd.DataFrame) -> dict:
    """``{article id: [mark, ...]}``: one mark per coded sentence (offsets, agree, items)."""
    gold = read_gold(gold_path)
    out: dict[str, list[dict]] = {}
    for g in gold["articles"]:
        article_id = str(g.get("id"))
        if article_id not in corpus.ids:
            raise FramingError(f"{gold['_path']}: article {article_id!r} is not in the corpus; give the "
                               "corpus "
                               "the gold file codes (--corpus)")
        text = corpus[article_id].text
        rows = evidence[evidence.article_id == article_id]
        bounds = _sentences(text)
        marks = []
        wanted = [(s["text"], s, None) for s in g.get("sentences") or []]
        wanted += [(a["text"], None, a) for a in g.get("attributions") or []]
        by_sentence: dict[int, dict] = {}
        texts = {i: text[a:b] for i, (a, b) in enumerate(bounds)}
        for first_words, sentence, attribution in wanted:
            index = _sentence_index(texts, first_words, f"{gold['_path']}: article {article_id}")
            entry = by_sentence.setdefault(index, {"sentence": None, "attributions": []})
            if sentence is not None:
                entry["sentence"] = sentence
            if attribution is not None:
                entry["attributions"].append(attribution)
        for index in sorted(by_sentence):
            entry = by_sentence[index]
            here = rows[rows.sentence_index == index]
            items = []
            if entry["sentence"] is not None:
                items += _compare_sentence(entry["sentence"], here)
            for a in entry["attributions"]:
                found = [r for r in here[here.family == "attribution"].itertuples()
                         if _same_speaker(str(a["speaker"]), str(r.source))]
                items.append({"variable": "attribution", "human": f"{a['speaker']} ({a.get('form', '')})",
                              "framing": f"{found[0].source} ({found[0].label})" if found else "not found",
                              "agree": bool(found)})
            start, end = bounds[index]
            agree = all(i["agree"] for i in items)
            summary = "; ".join(f"{i['variable']}: human {i['human']}, framing {i['framing']}"
                                for i in items if not i["agree"]) or "agrees with the human codes"
            marks.append({"sentence_index": index, "start": start, "end": end, "sentence": text[start:end],
                          "agree": agree, "items": items, "summary": summary})
        out[article_id] = marks
    return out


def _compare_sentence(sentence: dict, here: pd.DataFrame) -> list[dict]:
    items = []
    if "blame" in sentence:
        human = sorted((c["actor"], c["kind"], c["attributor"]) for c in sentence["blame"] or [])
        blame = here[here.family == "blame"]
        found = sorted({(r.actor, r.label, getattr(r, "attributor", "")) for r in blame.itertuples()})
        items.append({"variable": "blame", "human": _codes(human), "framing": _codes(found),
                      "agree": set(human) == set(found)})
    for actor, polarity in (sentence.get("stance") or {}).items():
        stance = here[(here.family == "stance") & (here.actor == actor)]
        label = stance.label.iloc[0] if len(stance) else "not coded"
        items.append({"variable": f"stance {actor}", "human": _LABEL[int(polarity)], "framing": label,
                      "agree": label == _LABEL[int(polarity)]})
    return items


def _codes(codes) -> str:
    return ", ".join(f"{actor} {kind} by {attributor}" for actor, kind, attributor in codes) or "none"
