"""``framing report``: a static, self-contained HTML site in which a coder audits a scored corpus.

    framing report SCORES --corpus CORPUS --out DIR [--gold GOLD.yaml]

- ``index.html`` (and ``index-2.html``, ... : ``page_size`` articles per page): one row per article
  with its metadata and main features, sortable by any column and filterable by group (outlet, bias
  rating, any metadata column with few values) and by actor (the articles that mention it);
- ``articles/<id>.html``: the article's text with every evidence span highlighted by family; hovering
  a span shows its codes, clicking it lists them (label, value, cue, speaker, type, origin) beside the
  text; the article's features, each linked to the rows behind it; the table of its evidence rows;
- with a gold file (``framing validate``'s format), each coded sentence is marked as agreeing or not
  with the human codes, with both codes side by side (:mod:`framing.report.gold`).

Scripts and styles ship in the package (``framing/report/assets/``) and are copied beside the pages:
nothing is fetched at view time. All text is escaped; the pages depend only on the scores, the corpus
and the gold file (no timestamps), so the same inputs give the same bytes. The site is written to a
temporary folder and moved into place whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from importlib import resources
from pathlib import Path

from ..errors import FramingError
from ..outputs import replacing
from .pages import article_page, index_pages, page_name

ASSETS = ("report.css", "report.js")

def assets_folder() -> Path:
    return Path(str(resources.files("framing.report") / "assets"))

def build_report(scores: str | os.PathLike, corpus: str | os.PathLike, out: str | os.PathLike,
                 gold: str | os.PathLike | None = None, page_size: int = 100, codebook=None,
                 force: bool = False, allow_other: bool = False, **load_options) -> dict:
    """Write the site for the scores in ``scores`` (a ``framing score`` folder) of the articles in
    ``corpus`` into the folder ``out`` (replaced whole); return what was written.

    ``out`` may not hold or lie inside an input, and an existing folder is replaced only when an
    earlier report wrote it (``force`` replaces any other; :mod:`framing.outputs`). The corpus must
    hold the texts that were scored: every article's text is checked against the SHA-256 that
    ``run.json`` recorded, and a changed text is refused, naming the articles (its highlights would
    fall on the wrong words)."""
    from ..corpus import load_corpus
    from ..tables import read_tables, scores_codebook, with_actor_columns

    if page_size < 1:
        raise FramingError(f"page size must be at least 1, not {page_size}")
    inputs = [scores, corpus, gold, codebook if isinstance(codebook, (str, os.PathLike)) else None]
    scores = Path(scores)
    features, evidence = read_tables(scores)
    book = scores_codebook(scores, codebook, allow_other)
    features = with_actor_columns(scores, features, book.actor_ids)  # per-actor measures (actors table)
    texts = load_corpus(corpus, **load_options)
    missing = [i for i in features["id"].astype(str) if i not in texts.ids]
    if missing:
        raise FramingError(f"{scores}: {len(missing)} scored articles are not in the corpus {corpus} (first: "
                           f"{missing[0]!r}); give the corpus the scores were made from (--corpus)")
    check_texts(scores, texts)
    agreement = {}
    if gold is not None:
        from .gold import sentence_agreement

        agreement = sentence_agreement(gold, texts, evidence)
    with replacing(out, "report", inputs, force=force) as tmp:
        (tmp / "articles").mkdir()
        (tmp / "assets").mkdir()
        for name in ASSETS:
            shutil.copyfile(assets_folder() / name, tmp / "assets" / name)
        by_article = {k: v for k, v in evidence.groupby("article_id", sort=False)}
        empty = evidence.iloc[0:0]
        for _, row in features.iterrows():
            article_id = str(row["id"])
            rows = by_article.get(article_id, empty).sort_values(["start", "end", "family"], kind="stable")
            html = article_page(texts[article_id], row, rows.reset_index(drop=True), book,
                                agreement.get(article_id))
            (tmp / "articles" / page_name(article_id)).write_text(html, encoding="utf-8", newline="\n")
        pages = index_pages(features, evidence, book, page_size, gold_ids=set(agreement))
        for name, html in pages:
            (tmp / name).write_text(html, encoding="utf-8", newline="\n")
        manifest = {"articles": len(features), "pages": len(pages),
                    "scores": scores.as_posix(), "gold": Path(gold).as_posix() if gold else None,
                    "files": {p.relative_to(tmp).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                              for p in sorted(tmp.rglob("*")) if p.is_file()}}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                           encoding="utf-8")
    return manifest


def check_texts(scores: Path, texts) -> None:
    """Refuse a corpus whose texts differ from those scored (``run.json``'s ``text_sha256``), naming
    the articles; scores written before the hashes were recorded are refused too, with what to do."""
    run_path = scores / "run.json"
    recorded = json.loads(run_path.read_text(encoding="utf-8")).get("text_sha256") if run_path.is_file() \
        else None
    if recorded is None:
        raise FramingError(f"{run_path}: records no text hashes (scores written by an older framing, or "
                           "without run.json), so the corpus cannot be checked against them; score the "
                           "corpus again, then write the report")
    from ..pipeline import text_sha256

    by_id = {a.id: a for a in texts}
    changed = [i for i, digest in recorded.items() if i in by_id and text_sha256(by_id[i].text) != digest]
    if changed:
        more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        raise FramingError(f"{len(changed)} articles of the corpus have other texts than when they were "
                           f"scored ({', '.join(repr(i) for i in changed[:5])}{more}): their highlights "
                           "would fall on the wrong words. Score the corpus as it is now, or give the corpus "
                           "the scores were made from (--corpus)")


__all__ = ["build_report", "check_texts"]
