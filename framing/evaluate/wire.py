"""Benchmark of agency-copy detection (``wire_source``) on PolNeAR's metadata.

PolNeAR's ``metadata.tsv`` says for each article whether it is agency copy (column ``wire``: AP, AFP,
UPI, Reuters, or None for own reporting; ``NA`` is unknown and left out). Only the train and dev
compartments are read (the texts of the others are not there). The package's rules read the article's
text only, never the metadata's author or credit columns.

An article counts as a true positive when the package names the labelled agency, a false positive when
it names an agency for own reporting or another agency than the label, a false negative when a
labelled agency article is not named with that agency. The peer measured in the same run: "any agency
name appears in the text" (the first name of any codebook agency, anywhere).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..codebook import load_codebook
from ..errors import FramingError
from ..extract.wire import WireRules, decide

SPLITS = ("train", "dev")


def read_labels(path: str | os.PathLike, split: str) -> list[dict]:
    """The labelled articles of one split: filename, text and agency (lower case; '' for own reporting)."""
    root = Path(path)
    meta = root / "metadata.tsv"
    if not meta.is_file():
        raise FramingError(f"{meta}: no such file; give the PolNeAR folder that holds metadata.tsv and "
                           "train/, dev/ (for example $FRAMING_DATA/polnear)")
    rows = []
    with open(meta, encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            if "wire" not in row or "compartment" not in row:
                raise FramingError(f"{meta} line {n}: no 'wire' or 'compartment' column; is this PolNeAR's "
                                   "metadata.tsv?")
            if row["compartment"] != split or row["wire"] in ("NA", ""):
                continue
            text_path = root / split / "text" / f"{row['filename']}.txt"
            if not text_path.is_file():
                raise FramingError(f"{text_path}: no such file (named by {meta} line {n})")
            rows.append({"filename": row["filename"], "text": text_path.read_text(encoding="utf-8"),
                         "gold": "" if row["wire"] == "None" else row["wire"].lower()})
    return rows


def any_agency(rules: WireRules, spec: dict) -> Callable[[str], str]:
    """The peer: the agency whose name comes first in the text, anywhere ('' when none does)."""
    names = [(re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(n) for n in a['names'])})(?![\w-])"), aid)
             for aid, a in spec["agencies"].items()]

    def predict(text: str) -> str:
        hits = [(m.start(), aid) for rule, aid in names for m in [rule.search(text)] if m]
        return rules.labels[min(hits)[1]] if hits else ""

    return predict


def package_rules(rules: WireRules) -> Callable[[str], str]:
    def predict(text: str) -> str:
        best, _ = decide(rules.find(text), rules, text)
        return rules.labels[best.agency] if best else ""

    return predict


def scores(gold: list[str], predicted: list[str]) -> dict:
    tp = sum(1 for g, p in zip(gold, predicted) if g and p.lower() == g)
    fp = sum(1 for g, p in zip(gold, predicted) if p and p.lower() != g)
    fn = sum(1 for g, p in zip(gold, predicted) if g and p.lower() != g)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    return {"agency articles": sum(1 for g in gold if g), "own reporting": sum(1 for g in gold if not g),
            "tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3), "recall": round(recall, 3)}


def evaluate(path: str | os.PathLike, splits=SPLITS, codebook=None, peers: bool = True) -> pd.DataFrame:
    """Precision and recall of ``wire_source`` per split, with the peer on the same articles."""
    spec = load_codebook(codebook).section("wire", "wire")
    rules = WireRules(spec)
    methods = {"framing wire rules": package_rules(rules)}
    if peers:
        methods["peer: any agency name in the text"] = any_agency(rules, spec)
    out = []
    for split in splits:
        rows = read_labels(path, split)
        gold = [r["gold"] for r in rows]
        for name, predict in methods.items():
            out.append({"split": split, "method": name, **scores(gold, [predict(r["text"]) for r in rows])})
    return pd.DataFrame(out)
