"""Shared fixtures: the bundled corpus (the seed articles) scored once per test session, and the
public data sets that are read from a path (``FRAMING_DATA``), never copied into the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import framing
from framing.parse import load_model

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "data"
BESIDE = ROOT.parent / "shared" / "data"  # where the project's workspace keeps them


def data_root() -> Path | None:
    """``$FRAMING_DATA``, else ``../shared/data`` beside the clone when it exists, else None."""
    env = os.environ.get("FRAMING_DATA")
    if env:
        return Path(env)
    return BESIDE if BESIDE.is_dir() else None


def shared_data(name: str) -> Path:
    """The folder of one public data set (``polnear``, ``newsmtsc``, ...), or skip the test saying how
    to point the tests at it. Only a missing optional resource skips; a wrong path fails loudly."""
    root = data_root()
    if root is None:
        pytest.skip(f"needs the public data set {name!r}: set FRAMING_DATA=/path/to/data (the folder "
                    f"that holds {name}/; see docs/data.md)")
    path = root / name
    assert path.is_dir(), f"FRAMING_DATA={root} has no {name}/ folder (see docs/data.md)"
    return path


@pytest.fixture(scope="session")
def nlp():
    return load_model()


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("parse-cache")


@pytest.fixture(scope="session")
def corpus():
    return framing.load_corpus(CORPUS)


@pytest.fixture(scope="session")
def scored(corpus, cache_dir):
    return framing.score(corpus, cache_dir=cache_dir, progress=False)


@pytest.fixture(scope="session")
def mentions(scored):
    """Actor evidence rows, with the text each row points at."""
    ev = scored.evidence[scored.evidence.family == "actor"].copy()
    return ev


def span_text(corpus, row) -> str:
    return corpus[row.article_id].text[row.start:row.end]
