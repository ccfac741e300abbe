"""Remove page chrome by recorded rules, writing a new corpus and a log of every line's fate.

Cleaning is an explicit step (``framing clean``), never part of loading. It works on whole lines:

- a line that matches a ``remove`` rule (a regular expression matched against the whole stripped
  line) is removed, and the log names the rule;
- a line that repeats the article's ``title`` or ``subtitle`` metadata (alone, or followed by a site
  suffix such as `` / News / Inforos``) is removed after its first plain occurrence
  (rules ``duplicate_title``, ``title_with_site_suffix``, ``duplicate_subtitle``);
- a ``strip_prefix`` rule removes a matched prefix (a dateline such as ``MOSCOW:``) and keeps the rest;
- every kept line becomes a paragraph of the cleaned text (``paragraphs: lines``), paragraphs being
  separated by one blank line; with ``paragraphs: blank_lines`` single line breaks are kept.

Nothing inside a kept line changes, so each kept line maps to the raw text by one offset shift:
``cleaning_log.csv`` gives, for every non-blank raw line, its raw and cleaned offsets, the action
(``kept``, ``removed``, ``stripped``) and the rule.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .._io import write_all
from .._yaml import YamlLimitError
from .._yaml import load as load_yaml
from ..errors import CorpusError
from .article import Article, Corpus

LOG_COLUMNS = ["article_id", "line", "action", "rule", "raw_start", "raw_end", "clean_start",
               "clean_end", "text"]
_SITE_SEPARATORS = (" / ", " | ", " - ", " – ", " — ")


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    description: str = ""


@dataclass
class CleaningRules:
    """The rules of one cleaning, read from a YAML file (see ``corpus/afghanistan-2021/cleaning.yaml``)."""

    remove: list[Rule] = field(default_factory=list)
    strip_prefix: list[Rule] = field(default_factory=list)
    duplicate_title: bool = True
    paragraphs: str = "lines"
    path: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class LineRecord:
    article_id: str
    line: int
    action: str
    rule: str
    raw_start: int
    raw_end: int
    clean_start: int | None
    clean_end: int | None
    text: str


def load_rules(path: str | os.PathLike) -> CleaningRules:
    """Read and validate a cleaning-rules YAML file; errors name the key at fault."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CorpusError(f"{path}: cannot read cleaning rules: {err.strerror}") from err
    try:
        doc = load_yaml(data) or {}
    except yaml.YAMLError as err:
        raise CorpusError(f"{path}: not valid YAML: {err}") from err
    except YamlLimitError as err:
        raise CorpusError(f"{path}: refused: {err}") from err
    if not isinstance(doc, dict):
        raise CorpusError(f"{path}: expected a mapping at the top level")
    known = {"remove", "strip_prefix", "duplicate_title", "paragraphs", "description"}
    for key in doc:
        if key not in known:
            raise CorpusError(f"{path}: unknown key {key!r}; expected one of {sorted(known)}")
    paragraphs = doc.get("paragraphs", "lines")
    if paragraphs not in ("lines", "blank_lines"):
        raise CorpusError(f"{path}: paragraphs: must be 'lines' or 'blank_lines', not {paragraphs!r}")
    return CleaningRules(
        remove=_rules(path, doc, "remove"),
        strip_prefix=_rules(path, doc, "strip_prefix"),
        duplicate_title=bool(doc.get("duplicate_title", True)),
        paragraphs=paragraphs,
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _rules(path: Path, doc: dict, key: str) -> list[Rule]:
    items = doc.get(key) or []
    if not isinstance(items, list):
        raise CorpusError(f"{path}: {key}: expected a list of rules")
    rules = []
    for i, item in enumerate(items):
        where = f"{path}: {key}[{i}]"
        if not isinstance(item, dict) or "name" not in item or "pattern" not in item:
            raise CorpusError(f"{where}: each rule needs 'name' and 'pattern'")
        extra = set(item) - {"name", "pattern", "description"}
        if extra:
            raise CorpusError(f"{where}: unknown key(s) {sorted(extra)}")
        try:
            pattern = re.compile(item["pattern"])
        except re.error as err:
            raise CorpusError(f"{where} ({item['name']}): bad regular expression: {err}") from err
        rules.append(Rule(str(item["name"]), pattern, str(item.get("description", ""))))
    return rules


def clean_article(article: Article, rules: CleaningRules) -> tuple[str, list[LineRecord]]:
    """Return the cleaned text of ``article`` and one record per non-blank raw line."""
    title = article.meta.get("title", "").strip()
    subtitle = article.meta.get("subtitle", "").strip()
    seen_title = seen_subtitle = False
    pieces: list[str] = []
    records: list[LineRecord] = []
    position = 0
    pending_break = False
    offset = 0
    for line_no, line in enumerate(article.text.splitlines(keepends=True), start=1):
        line_start = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        content = body.strip()
        if not content:
            pending_break = True
            continue
        raw_start = line_start + body.index(content)
        action, rule = "kept", ""
        if rules.duplicate_title and title and (content == title or _with_suffix(content, title)):
            if content == title and not seen_title:
                seen_title = True
            else:
                action = "removed"
                rule = "duplicate_title" if content == title else "title_with_site_suffix"
        elif rules.duplicate_title and subtitle and content == subtitle:
            if seen_subtitle:
                action, rule = "removed", "duplicate_subtitle"
            seen_subtitle = True
        if action == "kept":
            for r in rules.remove:
                if r.pattern.fullmatch(content):
                    action, rule = "removed", r.name
                    break
        kept = content
        if action == "kept":
            for r in rules.strip_prefix:
                match = r.pattern.match(kept)
                if match and match.end() > 0:
                    action, rule = "stripped", r.name
                    records.append(LineRecord(article.id, line_no, "removed", r.name, raw_start,
                                              raw_start + match.end(), None, None, match.group(0)))
                    raw_start += match.end()
                    kept = kept[match.end():]
                    break
        if action == "removed":
            records.append(LineRecord(article.id, line_no, action, rule, raw_start,
                                      raw_start + len(content), None, None, content))
            continue
        if pieces:
            separator = "\n\n" if (pending_break or rules.paragraphs == "lines") else "\n"
            pieces.append(separator)
            position += len(separator)
        pending_break = False
        records.append(LineRecord(article.id, line_no, "kept", rule, raw_start,
                                  raw_start + len(kept), position, position + len(kept), kept))
        pieces.append(kept)
        position += len(kept)
    text = "".join(pieces)
    return text, records


def _with_suffix(line: str, title: str) -> bool:
    return any(line.startswith(title + sep) for sep in _SITE_SEPARATORS)


def clean_corpus(corpus: Corpus, rules: CleaningRules, out_dir: str | os.PathLike) -> Path:
    """Clean every article of ``corpus`` and write a corpus folder at ``out_dir``.

    Writes ``text/<id>.txt``, ``metadata.csv`` (the input metadata, ``file`` pointing to the cleaned
    text and ``raw_file`` to the input file) and ``cleaning_log.csv``, all in one atomic step.
    Returns the path of ``metadata.csv``.
    """
    out = Path(out_dir)
    writers = {}
    meta_rows = []
    log_rows: list[LineRecord] = []
    for article in corpus:
        text, records = clean_article(article, rules)
        if not text.strip():
            raise CorpusError(
                f"{article.origin}: article {article.id!r}: the cleaning rules removed every line; "
                f"check the rules in {rules.path}"
            )
        rel = f"text/{article.id}.txt"
        writers[out / rel] = _text_writer(text)
        meta = dict(article.meta)
        raw_file = meta.pop("file", "") or Path(article.origin).name
        meta_rows.append({"id": article.id, "file": rel, "raw_file": raw_file, **meta})
        log_rows.extend(records)
    columns = list(dict.fromkeys(k for row in meta_rows for k in row))
    writers[out / "metadata.csv"] = _csv_writer(columns, meta_rows)
    writers[out / "cleaning_log.csv"] = _csv_writer(
        LOG_COLUMNS, [{k: getattr(r, k) for k in LOG_COLUMNS} for r in log_rows]
    )
    write_all(writers)
    return out / "metadata.csv"


def _text_writer(text: str):
    return lambda tmp: tmp.write_text(text, encoding="utf-8", newline="")


def _csv_writer(columns: list[str], rows: list[dict]):
    def write(tmp: Path) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
        tmp.write_text(buffer.getvalue(), encoding="utf-8", newline="")

    return write
