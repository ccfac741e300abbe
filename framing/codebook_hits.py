"""``framing codebook hits CORPUS --codebook FILE``: which aliases of a codebook match a corpus, how often,
and where, in seconds on a parsed corpus (the parse cache that scoring fills; a first parse shows its
progress). The loop of a new case: edit the actors, run ``hits``, read the examples, edit again.

:func:`alias_hits` gives one row per (actor, kind, alias) that matched: the articles and the mentions it
matched (``mentions``: counted, as scoring counts them before one noun phrase's mentions of an actor are
merged; ``not_counted``: places and ambiguous surnames), and up to ``examples`` example sentences with
their article. :func:`never_matched` lists the codebook's aliases that matched nothing (a misspelling,
a form the news does not use, a surname never opened by a full name or a title). References and pronouns
are listed by the words that matched ("the insurgents", "he").
"""

from __future__ import annotations

import pandas as pd

from .codebook import Codebook, actor_aliases

COLUMNS = ["actor", "kind", "alias", "articles", "mentions", "not_counted", "examples"]


def alias_hits(corpus, codebook: Codebook, examples: int = 2, progress: bool = True,
               cache_dir=None) -> pd.DataFrame:
    """The alias table of ``corpus`` (a :class:`~framing.corpus.Corpus` or a list of articles) under
    ``codebook``, sorted by actor (codebook order), then by mentions."""
    from tqdm.auto import tqdm

    from .evidence import sentence_bounds, sentences, text_of
    from .extract.actors import ActorFinder
    from .parse import ParseCache, default_cache_dir, load_model, parse

    nlp = load_model()
    finder = ActorFinder(codebook, nlp)
    articles = list(corpus)
    docs = parse((a.text for a in articles), nlp, cache=ParseCache(cache_dir or default_cache_dir(), nlp))
    kind_of = {(actor.id, phrase): kind for actor in codebook.actors.values()
               for kind, phrase in actor_aliases(actor)}  # a place use: the kind of the alias it uses
    found: dict[tuple[str, str, str], dict] = {}
    for article, doc in tqdm(zip(articles, docs), total=len(articles), desc="matching", unit="article",
                             disable=not progress):
        spans, text = sentences(doc)[0], text_of(doc)  # framing's sentences, as the evidence rows have them
        for m in finder(doc, merge=False):
            kind = kind_of.get((m.actor, m.alias), "name") if m.kind == "place" else m.kind
            alias = m.alias or (m.span.text if m.kind in ("reference", "pronoun") else m.cue)
            row = found.setdefault((m.actor, kind, alias),
                                   {"articles": set(), "mentions": 0, "not_counted": 0, "examples": []})
            row["articles"].add(article.id)
            row["mentions" if m.counted else "not_counted"] += 1
            if len(row["examples"]) < examples:
                sentence = text[slice(*sentence_bounds(spans[m.sentence_index]))].replace("\n", " ")
                row["examples"].append(f"{article.id}: {sentence[:200]}"
                                       + (" [not counted: " + m.kind + "]" if not m.counted else ""))
    order = {a: k for k, a in enumerate(codebook.actor_ids)}
    table = pd.DataFrame([{"actor": actor, "kind": kind, "alias": alias, "articles": len(v["articles"]),
                           "mentions": v["mentions"], "not_counted": v["not_counted"],
                           "examples": " | ".join(v["examples"])}
                          for (actor, kind, alias), v in found.items()], columns=COLUMNS)
    if not len(table):
        return table
    table["_order"] = table.actor.map(order)
    table = table.sort_values(["_order", "mentions", "not_counted", "alias"],
                              ascending=[True, False, False, True], kind="stable")
    return table.drop(columns="_order").reset_index(drop=True)


def never_matched(codebook: Codebook, table: pd.DataFrame) -> list[tuple[str, str, str]]:
    """``(actor, kind, alias)`` of every codebook alias with no match in ``table``."""
    seen = {(a, alias) for a, alias in zip(table.actor, table.alias)} if len(table) else set()
    return [(actor.id, kind, phrase) for actor in codebook.actors.values()
            for kind, phrase in actor_aliases(actor) if (actor.id, phrase) not in seen]


__all__ = ["COLUMNS", "alias_hits", "never_matched"]
