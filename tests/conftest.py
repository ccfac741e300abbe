"""Shared fixtures: the bundled corpus (the seed articles) scored once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import framing
from framing.parse import load_model

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


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
