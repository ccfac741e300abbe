"""Benchmark of the attribution extractor on PolNeAR (Newell, Margolin & Ruths, LREC 2018).

Layout read (the PolNeAR release; see docs/data.md): ``<root>/<split>/text/<name>.txt`` and
``<root>/<split>/attributions/<name>_<annotator>.ann`` (brat standoff: ``T`` lines are ``Source``,
``Cue``, ``Content`` spans, possibly discontinuous ``a b;c d``; ``E`` lines tie one attribution's
roles together). Where a text has several annotators' files, the first by annotator id is the gold.
A discontinuous span is compared by its extent (first to last character).

For each role (source, cue, content) it reports precision, recall and F1 under exact and overlap
matching, summed over the split, for framing's attribution extractor (as ``framing score`` outputs
it) and for textacy's ``direct_quotations`` run on the same spaCy parses as a peer.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from ..errors import FramingError
from .spans import Counts, Span

ROLES = ("source", "cue", "content")
_SPAN_LINE = re.compile(r"^T\d+\t")
MATCHES = ("exact", "overlap")


@dataclass
class Document:
    name: str
    text: str
    gold: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))


def read_split(root: str | os.PathLike, split: str = "dev", limit: int | None = None) -> list[Document]:
    """The texts of one PolNeAR split with their gold source, cue and content spans."""
    root = Path(root)
    texts, anns = root / split / "text", root / split / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise FramingError(f"{root / split}: expected text/ and attributions/ folders of a PolNeAR split "
                           "(see the data README); pass the folder that holds train/ and dev/")
    by_name: dict[str, Path] = {}
    for ann in sorted(anns.glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        by_name.setdefault(name, ann)
    docs = []
    for name in sorted(by_name)[:limit]:
        text_path = texts / f"{name}.txt"
        if not text_path.is_file():
            raise FramingError(f"{by_name[name]}: no text file {text_path}")
        doc = Document(name, text_path.read_text(encoding="utf-8"))
        for role, span in _read_ann(by_name[name]):
            doc.gold[role].append(span)
        docs.append(doc)
    if not docs:
        raise FramingError(f"{anns}: no annotation files (*.ann) with their texts, so nothing to score; "
                           "pass the PolNeAR folder that holds train/ and dev/ (see docs/data.md)")
    return docs


def _read_ann(path: Path):
    spans: dict[str, tuple[str, Span]] = {}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not _SPAN_LINE.match(line):  # E lines, and text fields continued on the next line
            continue
        try:
            tid, info, _ = line.split("\t", 2)
            kind, where = info.split(" ", 1)
            fragments = [tuple(map(int, f.split())) for f in where.split(";")]
        except ValueError as err:
            raise FramingError(f"{path} line {line_no}: not a brat span line: {line!r}") from err
        spans[tid] = (kind.lower(), (fragments[0][0], fragments[-1][1]))
    for kind, span in spans.values():
        if kind in ROLES:
            yield kind, span


def _framing_spans(docs: list[Document], parsed, nlp, codebook) -> list[dict[str, list[Span]]]:
    """Source, cue and content spans of framing's attribution rows, per document."""
    from ..corpus import Article
    from ..extract import build_extractors

    steps = build_extractors(["attribution"], codebook, nlp)
    out = []
    for info, doc in zip(docs, parsed):
        context: dict = {}
        article = Article(id=info.name, text=info.text)
        rows = [row for step in steps for row in step.extract(doc, article, context)
                if row.family == "attribution"]
        spans: dict[str, list[Span]] = defaultdict(list)
        for r in rows:
            spans["content"].append((r.start, r.end))
            if r.extra.get("source_start") is not None:
                spans["source"].append((r.extra["source_start"], r.extra["source_end"]))
            if r.extra.get("cue_start") is not None:
                spans["cue"].append((r.extra["cue_start"], r.extra["cue_end"]))
        out.append(spans)
    return out


def _textacy_spans(parsed) -> list[dict[str, list[Span]]]:
    from textacy.extract.triples import direct_quotations

    out = []
    for doc in parsed:
        spans: dict[str, list[Span]] = defaultdict(list)
        try:
            triples = list(direct_quotations(doc))
        except (ValueError, IndexError):  # textacy raises on some unbalanced quotation marks
            triples = []
        for t in triples:
            for role, tokens in (("source", t.speaker), ("cue", t.cue)):
                if tokens:
                    spans[role].append((tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)))
            spans["content"].append((t.content.start_char, t.content.end_char))
        out.append(spans)
    return out


def evaluate(root: str | os.PathLike, split: str = "dev", limit: int | None = None,
             codebook=None, peers: bool = True) -> pd.DataFrame:
    """Scores of framing (and textacy, when installed and ``peers``) on one PolNeAR split."""
    from ..codebook import load_codebook
    from ..parse import load_model

    docs = read_split(root, split, limit)
    nlp = load_model()
    book = load_codebook(codebook)
    parsed = list(tqdm(nlp.pipe((d.text for d in docs), batch_size=16), total=len(docs),
                       desc=f"parsing polnear {split}", unit="text"))
    systems = {"framing": _framing_spans(docs, parsed, nlp, book)}
    if peers:
        try:
            systems["textacy direct_quotations"] = _textacy_spans(parsed)
        except ImportError as err:
            raise FramingError("the peer needs textacy: pip install 'framing[bench]' (or pass "
                               "--no-peers)") from err
    rows = []
    for system, predictions in systems.items():
        for role in ROLES:
            for match in MATCHES:
                counts = Counts()
                for doc, predicted in zip(docs, predictions):
                    counts.add(predicted.get(role, []), doc.gold.get(role, []), match)
                rows.append({"system": system, "role": role, "match": match,
                             "precision": round(100 * counts.precision, 1),
                             "recall": round(100 * counts.recall, 1), "f1": round(100 * counts.f1, 1),
                             "n_predicted": counts.n_pred, "n_gold": counts.n_gold})
    return pd.DataFrame(rows)
