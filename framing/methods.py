"""A methods paragraph for a paper, written from the installed versions, codebook and model metadata."""

from __future__ import annotations

import platform


def methods_text(codebook=None, gold=None, stance_method: str | None = None) -> str:
    """The paragraph; with ``gold`` (a gold file) it adds the validation figures. ``stance_method``:
    the method the scores were made with (default: the default, the transformer)."""
    import spacy

    from . import __version__
    from .codebook import load_codebook
    from .parse import load_model, model_id
    from .stance import method_name

    book = load_codebook(codebook)
    stance_method = method_name(stance_method)
    weights = book.sections.get("blame", {}).get("weights", {})
    parts = [
        f"Articles were scored with framing {__version__} (Python {platform.python_version()}, "
        f"spaCy {spacy.__version__} with {model_id(load_model())}) using the codebook "
        f"{book.name} {book.version} (SHA-256 {book.sha256[:12]}), which lists "
        f"{len(book.actors)} actors ({', '.join(a.label for a in book.actors.values())}). "
        "Sentences were segmented by spaCy, with headlines and subtitles as sentences of their own.",
        "Actor mentions were matched on the codebook's names, demonyms, persons (surnames after the "
        "full name), descriptions and anaphoric references, and a person's pronouns when the person "
        "was named in the same or the previous sentence and no other person in between; mentions used "
        "only as places were not counted.",
        _stance_sentence(stance_method),
        "Attributed blame was coded per sentence from the grammatical role of the actor "
        "(accusation, responsibility, causal, harmful action; denials recorded), with the "
        "attributor taken from the attribution that carries it; the article's blame score sums "
        "the weights " + ", ".join(f"{k} {v:g}" for k, v in weights.items()) + ", and an actor's "
        "blame share is its score over all actors' scores.",
        "Attributions (direct, partial, indirect, according to) were found from quotation marks "
        "and reporting verbs over the dependency parse; speakers were resolved to canonical names "
        "and typed by the codebook's lists of sources, titles and anonymous expressions.",
        _frames_sentence(), _roles_sentence(),
        "Agency copy was identified from datelines, credit lines, agency bylines and relays in the "
        "text (precision and recall 1.00 on PolNeAR dev, 6 agency articles; 0.96 and 0.94 on train), "
        "and near-identical stories from MinHash signatures of word 5-grams (estimated Jaccard "
        "similarity 0.8 or more).",
    ]
    if gold is not None:
        from .validate import validate

        table = validate(gold, codebook=codebook, stance_method=stance_method).set_index("variable")
        figures = "; ".join(
            f"{var} F1 {table.loc[var, 'f1']:.1f}, alpha {table.loc[var, 'alpha']:.2f}"
            for var in ("blame", "attribution") if var in table.index)
        stance_row = table.loc["stance"]
        parts.append(f"Against a hand-coded sample ({gold}), framing reached {figures}; stance "
                     f"agreement {stance_row['agreement']:.1f}% (Krippendorff's alpha "
                     f"{stance_row['alpha']:.2f}).")
    return " ".join(parts)


def _shipped_metadata(folder, name: str) -> dict:
    """The metadata file ``name`` of a shipped model folder (read, not hash-checked: text only)."""
    import json

    return json.loads((folder / name).read_text(encoding="utf-8"))


def _stance_sentence(method: str) -> str:
    """What the stance scores are, by the method that made them, with its development scores."""
    ending = "; " + _article_stance_sentence(method)
    if method == "lexicon":
        return ("Stance toward an actor was coded per sentence as a value from -1 to +1 by TextBlob's "
                "polarity of the words around the actor's mention plus the codebook's domain terms"
                + ending)
    if method == "linear":
        from .stance.model import metadata

        stance = metadata()
        dev = stance["dev"]
        return ("Stance toward an actor was coded per sentence as a value from -1 to +1 by a logistic "
                "regression over target-aware features (the sentence with the target masked, word windows "
                "around it, TextBlob and VADER scores, and the codebook's domain terms), trained on NewsMTSC "
                f"({stance['n_train']} targets) with parameters chosen on its development sets (macro F1 "
                f"{dev['dev_rw']['macro_f1']:.1f} on dev_rw, {dev['dev_mt']['macro_f1']:.1f} on dev_mt)"
                + ending)
    from .stance.transformer import model_folder

    meta = _shipped_metadata(model_folder(), "transformer.json")
    dev, settings = meta["dev"], meta["settings"]
    return ("Stance toward an actor was coded per sentence as a value from -1 to +1 (the probability of "
            "positive minus that of negative) by a transformer classifier: all-MiniLM-L6-v2 fine-tuned on "
            f"NewsMTSC ({meta['n_train']:,} targets; {meta['chosen_epoch']} epochs at learning rate "
            f"{settings['lr']:g}, the epoch chosen on its development sets: macro F1 {dev['dev_rw']:.1f} "
            f"on dev_rw, {dev['dev_mt']:.1f} on dev_mt), reading the actor's word pieces and an attention "
            "pooling over the sentence keyed by them, run in 8-bit integer precision with onnxruntime, "
            "and adjusted by the codebook's domain terms near the mention" + ending)


def _article_stance_sentence(method: str) -> str:
    """How the article value and label are made from the sentence values, with the shipped fit."""
    from .stance.article import load

    model = load(method)
    who = ("the sentences in the author's voice (outside the content of any attribution; the quoted "
           "sources' sentences only when the author never writes about the actor)" if model.source_weight == 0
           else f"the sentences, a quoted source's weighing {model.source_weight:g} of the author's")
    low, high = model.cuts
    return (f"the article's stance toward an actor is the mean over {who}, less the median of articles "
            f"coded neutral ({model.offset:+.3f}), labelled negative below "
            f"{low:+.2f} and positive above {high:+.2f}; offset, cut points and the sources' weight were "
            f"fitted on the {model.meta['n_articles']} development articles of PerSenT (Bastan et al. 2020; "
            "article-level coding of the author's sentiment toward a person), where repeated five-fold "
            f"cross-validation gives a macro F1 of {100 * model.meta['cv_macro_f1']:.1f}.")


def _frames_sentence() -> str:
    from .frames import model_folder

    meta = _shipped_metadata(model_folder(), "frames.json")
    dev = meta["dev"]
    return ("Generic news frames (resolution, conflict, human interest, moral, economic; Semetko and "
            "Valkenburg 2000, in the operationalisation of the Narrative Frames Corpus, Frermann et al. "
            "2023) were decided per article by a model that weighs each sentence's vector (the stance "
            "encoder's) by its learned relevance to the frame, trained on the corpus's "
            f"{meta['trained_on']['n_train']} training articles; on its {meta['trained_on']['n_dev']} "
            f"development articles, on which the number of training epochs ({meta['chosen_epoch']}) was "
            f"chosen, the mean macro F1 over the five frames is {dev['mean']:.1f} (peers "
            "measured with 'framing evaluate frames'). The sentences with the largest weight are "
            "reported as each frame's evidence.")


def _roles_sentence() -> str:
    from .roles import model_folder

    dev = _shipped_metadata(model_folder(), "roles.json")["dev"]
    return ("Narrative roles (villain, hero, victim) were given to each mentioned actor by one logistic "
            "regression per role over the actor's sentences (its blame codes, stance, grammatical role "
            "cues and the sentence's relevance to each generic frame), its salience and its kind in the "
            "codebook (a person, government, the public, nature, a policy, a cause of harm, ...), "
            "trained on the Narrative Frames Corpus's "
            "coded entities mapped to codebook actors; development F1 "
            + ", ".join(f"{r} {dev[r]['f1']:.3f}" for r in ("villain", "hero", "victim"))
            + " (thresholds chosen on the same articles).")
