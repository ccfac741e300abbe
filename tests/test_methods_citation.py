"""framing methods, and CITATION.cff kept true to the package."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

import framing
from framing.cli import main
from framing.frames import model_folder as frames_folder
from framing.stance.model import metadata
from framing.stance.transformer import model_folder

from .conftest import CORPUS, ROOT


def test_methods_paragraph_states_versions_codebook_and_model(capsys):
    assert main(["methods", "--gold", str(CORPUS / "gold-example.yaml")]) == 0
    text = " ".join(capsys.readouterr().out.split())
    book = framing.load_codebook()
    assert f"framing {framing.__version__}" in text
    assert f"{book.name} {book.version} (SHA-256 {book.sha256[:12]})" in text
    shipped = json.loads((model_folder() / "transformer.json").read_text(encoding="utf-8"))
    assert "a transformer classifier: all-MiniLM-L6-v2 fine-tuned on NewsMTSC (8,739 targets" in text
    dev = shipped["dev"]
    assert f"macro F1 {dev['dev_rw']:.1f} on dev_rw, {dev['dev_mt']:.1f} on dev_mt" in text
    assert "accusation 1, responsibility 1, causal 1, harmful_action 0.5, denial 0" in text
    frames = json.loads((frames_folder() / "frames.json").read_text(encoding="utf-8"))
    assert frames["chosen_epoch"] == 50 and round(frames["dev"]["mean"], 1) == 73.3
    # the dev number is the one the epochs were chosen on, and the paragraph says so
    assert ("85 development articles, on which the number of training epochs (50) was chosen, the mean "
            "macro F1 over the five frames is 73.3") in text
    assert "Against a hand-coded sample" in text and "Krippendorff's alpha" in text
    # the article value: what it reads, and the fit and its cross-validated score on PerSenT
    article = json.loads((Path(framing.__file__).parent / "stance" / "article-stance.json").read_text())
    fitted = article["stance_methods"]["transformer"]
    assert "the mean over the sentences in the author's voice" in text
    low, high = fitted["cuts"]
    assert f"labelled negative below {low:+.2f} and positive above {high:+.2f}" in text
    assert f"cross-validation gives a macro F1 of {100 * fitted['cv_macro_f1']:.1f}" in text


def test_methods_paragraph_names_the_stance_method_the_scores_were_made_with(capsys):
    assert main(["methods", "--stance-method", "linear"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "by a logistic regression over target-aware features" in text and "transformer" not in text
    assert "a quoted source's weighing 1 of the author's" in text  # the linear method's fitted weight
    assert f"macro F1 {metadata()['dev']['dev_rw']['macro_f1']:.1f} on dev_rw" in text


def test_citation_cff_has_the_required_keys_and_the_package_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "type", "license"):
        assert cff[key], key
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    assert str(cff["version"]) == framing.__version__
