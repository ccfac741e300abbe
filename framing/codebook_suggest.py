"""``framing codebook suggest CORPUS``: a first draft of a case's actors from the corpus itself.

spaCy's named entities (PERSON, ORG, NORP, GPE) of every article (through the parse cache that scoring
fills), counted by the number of articles that name them. A person's full name (two words or more) is
grouped with its surname where the surname stands alone ("Donald Trump" with "Trump"): the surname is
the short form the package derives (docs/codebook.md, "Actors"); a surname that ends several full
names is marked shared in the comment (the nearest full name decides). Organisations, groups (NORP:
"Democrats", "Republicans") and places (GPE) become actors with ``names`` (a demonym of a NORP). The
result is a YAML fragment (the ``actors:`` section) to edit by hand: merge, rename and delete, give
kinds and attributes, then check it with ``framing codebook check`` and ``framing codebook hits``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import yaml

# spaCy's entity label -> the actor kind it suggests (framing.codebook.ACTOR_KINDS); edit it by hand
LABELS = {"PERSON": "person", "ORG": "organisation", "NORP": "public", "GPE": "country"}
_CLEAN = re.compile(r"^(?:the|The)\s+|\s*['’]s$")


def entity_counts(corpus, progress: bool = True,
                  cache_dir=None) -> tuple[dict[tuple[str, str], set], int]:
    """``{(label, text): article ids}`` of the corpus's PERSON, ORG, NORP and GPE entities (a leading
    "the" and a possessive "'s" removed, white space folded), and the number of articles."""
    from tqdm.auto import tqdm

    from .parse import ParseCache, default_cache_dir, load_model, parse

    nlp = load_model()
    articles = list(corpus)
    docs = parse((a.text for a in articles), nlp, cache=ParseCache(cache_dir or default_cache_dir(), nlp))
    found: dict[tuple[str, str], set] = defaultdict(set)
    for article, doc in tqdm(zip(articles, docs), total=len(articles), desc="reading entities",
                             unit="article", disable=not progress):
        for ent in doc.ents:
            if ent.label_ in LABELS:
                text = _CLEAN.sub("", " ".join(ent.text.split()))
                if len(text) > 1 and any(c.isupper() for c in text):
                    found[(ent.label_, text)].add(article.id)
    return found, len(articles)


def draft(found: dict[tuple[str, str], set], n_articles: int, min_articles: int = 2,
          top: int = 60) -> list[dict]:
    """The suggested actors, most articles first: ``id``, ``label``, ``kind``, the alias key
    (``persons``, ``names`` or ``demonyms``), its values, ``n`` (articles) and ``note`` (what was
    counted). A person's variants ("Donald J. Trump") join the full name of the same first and last
    word; a full name needs ``min_articles`` articles of its own; its surname alone is credited to the
    full name of that surname named in the most articles; an organisation, group or place that is only
    a suggested person's surname ("Trump" tagged ORG) is left out."""
    from .codebook import SUFFIXES

    full: dict[tuple[str, str, str], dict[str, set]] = defaultdict(dict)
    alone: dict[str, set] = {}
    for (label, text), ids in found.items():
        if label != "PERSON":
            continue
        words = text.split()
        generation = words.pop() if len(words) > 2 and words[-1].rstrip(".") in ("Jr", "Sr") else ""
        words = [w for w in words if w not in SUFFIXES]  # a father and his son stay apart
        if len(words) == 1 and not generation:
            alone[words[0]] = ids
        elif len(words) > 1 and words[0][:1].isupper():
            full[(words[0], words[-1], generation)][text] = ids
    persons = []
    for (first, last, generation), variants in full.items():
        ids = set().union(*variants.values())
        if len(ids) < min_articles:
            continue
        plain = " ".join(w for w in (first, last, generation) if w)
        name = plain if plain in variants else max(variants, key=lambda v: len(variants[v]))
        persons.append({"label": name, "surname": last if not generation else f"{last} {generation}",
                        "ids": ids, "variants": sorted(variants)})
    by_surname: dict[str, list[dict]] = defaultdict(list)
    for person in sorted(persons, key=lambda p: (-len(p["ids"]), p["label"])):
        by_surname[person["surname"]].append(person)
    out = []
    for surname, group in by_surname.items():
        for k, person in enumerate(group):
            ids = person["ids"] | (alone.get(surname, set()) if k == 0 else set())
            others = [p["label"] for p in group if p is not person]
            note = (f"PERSON, {len(ids)} articles (full name in {len(person['ids'])}"
                    + (f"; \"{surname}\" alone in {len(alone.get(surname, ()))}" if k == 0 else "")
                    + (f"; surname shared with {', '.join(others)}" if others else "")
                    + (f"; also written {', '.join(v for v in person['variants'] if v != person['label'])}"
                       if len(person["variants"]) > 1 else "") + ")")
            out.append({"label": person["label"], "kind": "person", "persons": [person["label"]],
                        "n": len(ids), "note": note})
    taken = set(by_surname) | {p["label"] for p in persons}
    labelled: dict[str, dict[str, set]] = defaultdict(dict)  # one text, tagged ORG here and GPE there
    for (label, text), ids in found.items():
        if label != "PERSON" and text not in taken:
            labelled[text][label] = ids
    for text, labels in labelled.items():
        ids = set().union(*labels.values())
        if len(ids) < min_articles:
            continue
        label = max(labels, key=lambda k: (len(labels[k]), k))  # the label of the most articles
        key = "demonyms" if label == "NORP" and not text.endswith("s") else "names"
        tags = ", ".join(f"{k} {len(v)}" for k, v in sorted(labels.items()))
        note = f"{label}, {len(ids)} articles" + (f" (tagged {tags})" if len(labels) > 1 else "")
        out.append({"label": text, "kind": LABELS[label], key: [text], "n": len(ids), "note": note})
    out.sort(key=lambda a: (-a["n"], a["label"]))
    out = out[:top]
    used: Counter = Counter()
    for actor in out:
        base = re.sub(r"[^a-z0-9]+", "_", actor["label"].lower()).strip("_") or "actor"
        base = base if base[0].isalpha() else f"actor_{base}"
        used[base] += 1
        actor["id"] = base if used[base] == 1 else f"{base}_{used[base]}"
    return out


def to_yaml(actors: list[dict], n_articles: int, corpus_name: str) -> str:
    """The ``actors:`` section of a codebook, with one comment per actor saying what was counted."""
    lines = [f"# Drafted by 'framing codebook suggest' from the {n_articles} articles of {corpus_name}:",
             "# spaCy's PERSON, ORG, NORP and GPE entities by the number of articles that name them. Edit",
             "# it: merge actors (a party and its politicians), delete what is not an actor of the case, set",
             "# kind (docs/codebook.md, \"Actors\"), then paste it into a codebook made by",
             "# 'framing codebook new'.",
             "actors:"]
    if not actors:
        lines.append("  {}  # no entity named in enough articles: lower --min-articles")
    for actor in actors:
        lines.append(f"  {actor['id']}:  # {actor['note']}")
        fields = {"label": actor["label"], "kind": actor["kind"]}
        for key in ("persons", "names", "demonyms"):
            if key in actor:
                fields[key] = actor[key]
        body = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=100,
                              default_flow_style=None)
        lines += [f"    {line}" for line in body.splitlines()]
    return "\n".join(lines) + "\n"


__all__ = ["draft", "entity_counts", "to_yaml"]
