"""Where the time of one `framing score` goes, stage by stage (issue 31, item 3).

    python benchmarks/profile_score.py CORPUS [--codebook CODEBOOK] [--work DIR] [--json FILE]

Runs ``framing score CORPUS`` once under cProfile in this process, with an empty cache folder (so the
parse and every extractor run), and prints a table: each stage's seconds (cumulative time of the
function that does it; profiling adds some overhead to Python-heavy stages, little to the parse and
the encoder, which run in C), its share of the run, and the stage's ratio to the parse. The encoder is
counted apart from the extractors that call it (stance, frames, roles): "stance (rest)" is the stance
extractor without its encoder calls. Start-up is everything before scoring starts (imports, codebook,
models). cProfile sees only the main thread: the encoder that the pipeline runs in its second thread
(each window's ``prepare``, one window ahead) is not in the table; what the main thread waits for it is
("waiting for the encoder thread"), and the "encoder" row is what the heads still encode in the main
thread (sentences past a window's bound). A second run on the same cache folder (a re-score: every
article from the result cache) is timed in a fresh process, beside the first run's wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

# (stage, file suffix, function name whose cumulative time is the stage's, the encoder calls the stage's
# time leaves out as (callee file, callee, caller file, caller or None): the encoder is its own stage)
STAGES = [
    ("parse (spaCy, framing's paragraph step, parse cache)", "framing/parse.py", "parse", None),
    ("actors", "framing/extract/actors.py", "extract", None),
    ("attribution", "framing/extract/attribution.py", "extract", None),
    ("blame", "framing/extract/blame.py", "extract", None),
    ("wire", "framing/extract/wire.py", "extract", None),
    ("stance (rest: targets, head, cues, domain terms)", "framing/extract/stance.py", "extract",
     ("framing/stance/encoding.py", "token_states", "framing/stance/transformer.py", None)),
    ("frames (rest)", "framing/extract/frames.py", "extract",
     ("framing/frames/__init__.py", "sentence_vectors", "framing/frames/__init__.py", "vectors_for")),
    ("roles", "framing/extract/roles.py", "extract", None),
    ("encoder (onnxruntime, all heads)", "framing/stance/encoding.py", "token_states", None),
    ("copies (near-duplicate stories)", "framing/engine/__init__.py", "copies", None),
    ("table assembly and writing (CSV, Parquet)", "framing/tables.py", "write_tables", None),
    ("result cache reads", "framing/result_cache.py", "get", None),
]


def _cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    return sum(v[3] for (path, _, func), v in stats.stats.items() if path.endswith(suffix) and func == name)


def _encoder_within(stats: pstats.Stats, calls: tuple[str, str, str, str | None]) -> float:
    """The cumulative time of ``(callee file, callee function)`` when called from ``(caller file,
    caller function or None for any)``: a stage's encoder work, which the encoder row counts. The frames
    row names ``vectors_for`` as the caller, since the frames model also embeds its definitions with
    ``sentence_vectors`` when it loads, which is not the extractor's time."""
    callee_file, callee, caller_file, caller = calls
    return sum(cvalue[3] for (path, _, func), value in stats.stats.items()
               if path.endswith(callee_file) and func == callee
               for (cpath, _, cfunc), cvalue in value[4].items()
               if cpath.endswith(caller_file) and caller in (None, cfunc))


def profile(argv: list[str]) -> tuple[pstats.Stats, float]:
    from framing.cli import main

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    try:
        code = main(argv)
    finally:
        profiler.disable()
    seconds = time.perf_counter() - start
    if code:
        raise SystemExit(f"framing {' '.join(argv)} exited with {code}")
    return pstats.Stats(profiler), seconds


def table(stats: pstats.Stats, seconds: float) -> list[dict]:
    scoring = _cumulative(stats, "framing/engine/__init__.py", "score_to")
    rows = [{"stage": "start-up (imports, codebook, models) and CLI", "seconds": seconds - scoring}]
    parse = _cumulative(stats, "framing/parse.py", "parse")
    for stage, suffix, name, encoder_caller in STAGES:
        value = _cumulative(stats, suffix, name)
        if encoder_caller:
            value -= _encoder_within(stats, encoder_caller)
        rows.append({"stage": stage, "seconds": value})
    waiting = (_cumulative(stats, "framing/pipeline.py", "_prepared") - parse
               - _cumulative(stats, "framing/pipeline.py", "_context"))
    rows.append({"stage": "waiting for the encoder thread (a window's prepare)", "seconds": waiting})
    rows.append({"stage": "other (caches and parts written, rows and features assembled, batches)",
                 "seconds": seconds - sum(r["seconds"] for r in rows)})
    for row in rows:
        row["share"] = row["seconds"] / seconds
        row["vs_parse"] = row["seconds"] / parse if parse else float("nan")
    rows.append({"stage": "total (wall, profiled)", "seconds": seconds, "share": 1.0,
                 "vs_parse": seconds / parse if parse else float("nan")})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--codebook", help="codebook (default: the bundled one)")
    parser.add_argument("--work", default=str(Path(__file__).resolve().parent.parent / ".cache" / "profile"))
    parser.add_argument("--json", help="also write the tables to this JSON file")
    args = parser.parse_args(argv)
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    command = ["score", args.corpus, "--quiet", "--cache-dir", str(work / "cache")]
    if args.codebook:
        command += ["--codebook", args.codebook]
    stats, seconds = profile([*command, "--out", str(work / "out-first")])
    results: dict = {"first_run": table(stats, seconds)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "framing", *command, "--out", str(work / "out-again")], check=True)
    results["rescore_seconds"] = time.perf_counter() - start
    print(f"\nfirst run: {seconds:.1f} s (profiled)\n")
    print("| stage | seconds | share | x parse |\n|---|---|---|---|")
    for row in results["first_run"]:
        print(f"| {row['stage']} | {row['seconds']:.1f} | {100 * row['share']:.0f} % | "
              f"{row['vs_parse']:.2f} |")
    print(f"\nre-score from the caches (a fresh process, not profiled): {results['rescore_seconds']:.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
