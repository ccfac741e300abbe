"""Start-up, the cached re-score at small sizes, and the pathological inputs of issue 11.

    python benchmarks/robustness.py [--data ../shared/data] [--sizes 300,1000] [--out FILE]

(`make bench-robust` runs it with the defaults, about 15 minutes on 2 cores.) Every measurement runs in
a fresh process (wall time and peak resident memory, as in ``scale.py``), beside a peer measured in
the same run:

- start-up: ``framing --help`` and ``framing info`` beside ``python -c "import spacy"`` (what any
  spaCy-based tool pays before it does anything) and a bare ``python -c pass``;
- cached re-score at each size (PolNeAR texts, as in ``scale.py``): ``framing score`` with an empty
  cache, then again from the result cache; the ratio first / cached includes start-up, which is what a
  user waits for;
- long sentences: one "sentence" with no full stop that names three actors every 38 characters, at
  2,500 to 100,000 characters: ``framing score`` beside spaCy's own parse of the same text (ratio), and
  the seconds per 1,000 characters (flat when the cost is linear);
- a 999,000-character text that names no actor (the model's length limit is 1,000,000), beside
  spaCy's parse of it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import ROOT, build_corpus, machine, measure  # noqa: E402

FRAMING = str(Path(sys.executable).parent / "framing")
LONG_SIZES = (2_500, 5_000, 10_000, 20_000, 100_000)
UNIT = "Russia warned the Taliban and the US, "  # 38 characters, three actor mentions


def parse_text(path: str) -> None:
    """The peer, in its own process: spaCy's pipeline over one text file."""
    import spacy

    from framing.versions import MODELS

    name = next(m for m in MODELS if spacy.util.is_package(m))
    nlp = spacy.load(name)
    text = Path(path).read_text(encoding="utf-8")
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    print(f"{name}: {len(nlp(text))} tokens")


def startup() -> dict:
    runs = {"python_pass": measure([sys.executable, "-c", "pass"]),
            "import_spacy": measure([sys.executable, "-c", "import spacy"]),
            "framing_help": measure([FRAMING, "--help"]),
            "framing_info": measure([FRAMING, "info"])}
    for run in runs.values():
        run.pop("output", None)
    return runs


def rescore(data: Path, size: int, work: Path) -> dict:
    corpus = build_corpus(data, size, work / "corpora")
    out, cache = work / "out" / str(size), work / "cache" / str(size)
    shutil.rmtree(cache, ignore_errors=True)
    command = [FRAMING, "score", str(corpus), "--quiet", "--out", str(out), "--cache-dir", str(cache)]
    print(f"[{size}] first run ...", flush=True)
    first = measure(command)
    print(f"[{size}] cached ...", flush=True)
    cached = measure(command)
    return {"first_run": first, "cached": cached,
            "first_vs_cached": round(first["seconds"] / cached["seconds"], 1)}


def stance_methods(data: Path, size: int, work: Path) -> dict:
    """Full scoring with each stance method (empty caches) beside spaCy's own parse, on PolNeAR texts."""
    import pandas as pd

    corpus = build_corpus(data, size, work / "corpora")
    runs = {"parse_only": measure([sys.executable, str(HERE / "scale.py"), "--parse-only", str(corpus)])}
    for method in ("model", "transformer"):
        out, cache = work / "out" / f"stance-{method}", work / "cache" / f"stance-{method}"
        shutil.rmtree(cache, ignore_errors=True)
        print(f"[stance {method}] ...", flush=True)
        runs[method] = measure([FRAMING, "score", str(corpus), "--quiet", "--out", str(out), "--cache-dir",
                                str(cache), "--stance-method", method])
    for run in runs.values():
        run.pop("output", None)
    evidence = pd.read_parquet(out / "evidence.parquet", columns=["family"])  # the same rows either way
    targets = int((evidence.family == "stance").sum())
    articles = sum(1 for _ in open(corpus, encoding="utf-8"))
    return {"articles": articles, "stance_targets": targets, "runs": runs,
            "model_vs_parse": round(runs["model"]["seconds"] / runs["parse_only"]["seconds"], 2),
            "transformer_vs_parse": round(runs["transformer"]["seconds"] / runs["parse_only"]["seconds"], 2),
            "transformer_targets_per_s": round(targets / runs["transformer"]["seconds"], 1)}


def one_text(work: Path, name: str, text: str) -> dict:
    folder = work / "texts"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    out, cache = work / "out" / name, work / "cache" / name
    shutil.rmtree(cache, ignore_errors=True)
    print(f"[{name}] ...", flush=True)
    run = measure([FRAMING, "score", str(path), "--quiet", "--out", str(out), "--cache-dir", str(cache),
                   "--time-budget", "0"])
    peer = measure([sys.executable, __file__, "--parse-text", str(path)])
    return {"characters": len(text), "framing": run, "spacy_parse": peer,
            "framing_vs_parse": round(run["seconds"] / peer["seconds"], 2),
            "seconds_per_1000_characters": round(1000 * run["seconds"] / len(text), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"),
                        help="folder that holds polnear/ (default: ../shared/data)")
    parser.add_argument("--sizes", default="300,1000",
                        help="corpus sizes of the re-score (default: 300,1000)")
    parser.add_argument("--out", default=str(HERE / "robustness.json"))
    parser.add_argument("--work", default=str(ROOT / ".cache" / "bench-robust"))
    parser.add_argument("--parts", default="startup,rescore,long",
                        help="what to measure (default: startup,rescore,long); results are merged into --out")
    parser.add_argument("--parse-text", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.parse_text:
        parse_text(args.parse_text)
        return 0
    work = Path(args.work)
    parts = set(args.parts.split(","))
    out = Path(args.out)
    results: dict = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    results["machine"] = machine()
    if "startup" in parts:
        results["startup"] = startup()
        print(json.dumps(results["startup"], indent=1), flush=True)
    if "rescore" in parts:
        results["rescore"] = {}
        for size in sorted(int(s) for s in args.sizes.split(",")):
            results["rescore"][str(size)] = rescore(Path(args.data), size, work)
            for key in ("first_run", "cached"):
                results["rescore"][str(size)][key].pop("output", None)
    if "stance" in parts:
        results["stance_methods"] = stance_methods(Path(args.data), 300, work)
        print(json.dumps(results["stance_methods"], indent=1), flush=True)
    if "long" in parts:
        results["long_sentence"] = {}
        for size in LONG_SIZES:
            text = (UNIT * (size // len(UNIT) + 1))[:size].rsplit(" ", 1)[0] + "."
            results["long_sentence"][str(size)] = one_text(work, f"long-{size}", text)
        words = "the convoy moved slowly along the river road past the old market "
        no_actor = (words * (999_000 // len(words)))[:999_000]
        results["no_actor_999k"] = one_text(work, "no-actor-999k", no_actor)
        for run in [*results["long_sentence"].values(), results["no_actor_999k"]]:
            run["framing"].pop("output", None)
            run["spacy_parse"].pop("output", None)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "machine"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
