"""Generic news frames (docs/codebook.md section 8): which frames an article uses, and the sentences
that show it.

The frames (resolution, conflict, human interest, moral, economic), their definitions and the
questionnaire items coders answer are data: the ``frames`` section of the base layer
(``framing/codebooks/base/base-en.yaml``). The model (:mod:`framing.frames`) encodes each sentence
of the article once (all-MiniLM-L6-v2, onnxruntime), ranks the sentences for each frame, and decides
at the article level from the frame-weighted sentences (see its docstring).

Features: ``frame_<name>_p`` (the probability that the article uses the frame) and ``frame_<name>``
(1 when it is at least the frame's threshold, chosen on dev). Evidence rows (family ``frame``): for each
frame decided present, the sentences that carry it, most first (``label`` the frame, ``value`` the
sentence's support: its share of the frame's attention, ``cue`` the frame's questionnaire item the
sentence is closest to, with the cosine similarity); ``form`` ``present``. The top sentence of a frame
decided absent is recorded too, with ``form`` ``absent``, so a reader sees what was weighed. Every
frame row carries the article's probability of its frame (column ``probability``), which
``frame_<name>_p`` repeats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..codebook import Codebook
from ..corpus import Article
from ..errors import CodebookError
from ..evidence import Evidence, text_of
from . import Extractor, registry

if TYPE_CHECKING:  # spaCy is imported when a model is loaded, not to read the caches
    from spacy.tokens import Doc

FRAMES = ("resolution", "conflict", "human_interest", "moral", "economic")


def frame_texts(spec: dict) -> dict[str, list[str]]:
    """The texts each frame's sentences are compared with: its definition, questions and examples."""
    return {name: [f["definition"], *f.get("questions", []), *f.get("examples", [])]
            for name, f in spec.items()}


@registry.register("frames")
class Frames(Extractor):
    name = "frames"
    family = "frame"
    reads_sentence_vectors = True

    def __init__(self, codebook: Codebook, nlp=None, **options):
        from ..codebook import base_section
        from ..frames import load

        super().__init__(codebook, nlp)
        self.spec = codebook.sections.get("frames") or base_section("frames")
        self.model = load()
        missing = [f for f in self.model.frames if f not in self.spec]
        if missing:
            raise CodebookError(f"{codebook.path or codebook.name}: frames: the frames model needs "
                                f"{missing}; keep the base layer's frames (extends: base-en)")
        self.texts = frame_texts(self.spec)
        self.queries = {name: self.model.embed(texts) for name, texts in self.texts.items()}  # unit length

    def prepare(self, docs: list[Doc], contexts: list[dict[str, Any]]) -> None:
        from ..frames import prepare_states

        prepare_states(docs, contexts, self.model.encoder, self.model.max_tokens)

    def extract(self, doc: Doc, article: Article, context: dict[str, Any]) -> list[Evidence]:
        from ..frames import frame_sentences, vectors_for

        text = text_of(doc)
        spans = frame_sentences(doc)
        if not spans:
            return []
        found = vectors_for(doc, context, self.model.encoder, [i for i, _, _ in spans], self.model.max_tokens)
        vectors = np.stack([found[i] for i, _, _ in spans])
        decision = self.model.decide(vectors)
        rows = []
        for frame in self.model.frames:
            present = decision.present[frame]
            support = decision.support[frame]
            order = sorted(range(len(spans)), key=lambda k: (-support[k], k))
            # present: the sentences the frame read more than an even share, most first (at least the
            # top one); absent: the top one
            even = 1 / len(spans)
            above = [k for k in order[:self.model.evidence_sentences] if support[k] > even]
            picked = (above or order[:1]) if present else order[:1]
            for k in picked:
                i, a, b = spans[k]
                sims = vectors[k] @ self.queries[frame].T
                best = int(sims.argmax())
                rows.append(Evidence(
                    article_id=article.id, family="frame", actor="", label=frame,
                    value=round(float(support[k]), 4), start=a, end=b, sentence_start=a, sentence_end=b,
                    sentence=text[a:b], cue=f"{self.texts[frame][best]} (cosine {float(sims[best]):.2f})",
                    form="present" if present else "absent", sentence_index=i,
                    extra={"probability": round(float(decision.probability[frame]), 4)}))
        return rows

    def features(self, rows: list[Evidence], doc: Doc, article: Article) -> dict[str, float]:
        out: dict[str, float] = {}
        for frame in self.model.frames:
            mine = [r for r in rows if r.label == frame]
            out[f"frame_{frame}_p"] = mine[0].extra["probability"] if mine else float("nan")
            out[f"frame_{frame}"] = float(any(r.form == "present" for r in mine)) if mine else float("nan")
        return out

    def feature_names(self) -> list[str]:
        return [n for f in self.model.frames for n in (f"frame_{f}_p", f"frame_{f}")]
