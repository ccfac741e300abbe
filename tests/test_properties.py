"""Property-based: arbitrary text never crashes the pipeline, and every offset slices its span."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing
from framing.corpus.language import too_few_words

PIECES = st.sampled_from([
    "Russia", "the US", "us", "NATO", "the Taliban's", "the insurgents", "Dmitry Peskov", "Peskov",
    "\u201c", "\u201d", '"', "'", "\u2019s", "said", ".", "\n\n", "\n", " ", "\t", "\x00", "\x1b",
    "Таджикистан", "阿富汗", "\u200b", "in Tajikistan", "the Tajik-Afghan border", "...", "(", ")",
])
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=80).map(" ".join),
    st.lists(PIECES, min_size=200, max_size=400).map(" ".join),  # one very long "sentence"
)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=1, max_size=3))
def test_any_text_scores_with_exact_offsets(texts):
    articles = [framing.Article(id=f"a{i}", text=t) for i, t in enumerate(texts)]
    # empty, or fewer words than an article needs: skipped and reported, as the loaders do
    blank = [a.id for a in articles if not a.text.strip() or too_few_words(a.text)]
    if len(blank) == len(articles):
        with pytest.raises(framing.CorpusError, match="no articles to score"), \
                pytest.warns(UserWarning, match="skipped: (empty text|[0-2] words?)"):
            framing.score(articles, use_cache=False, progress=False)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = framing.score(articles, use_cache=False, progress=False)
    assert not result.failures
    assert [s.id for s in result.skipped] == blank
    assert len(result.features) == len(texts) - len(blank)
    by_id = {a.id: a.text for a in articles}
    for row in result.evidence.itertuples():
        text = by_id[row.article_id]
        assert 0 <= row.sentence_start <= row.start < row.end <= row.sentence_end <= len(text)
        assert text[row.sentence_start:row.sentence_end] == row.sentence
        assert text[row.start:row.end]
