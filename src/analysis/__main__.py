"""Command line: ``python -m analysis {validate,build,run,sweep,framing-validation,score,bench}``.

Exit status: 0 on success, 2 on bad input (one line per problem on stderr, naming the
file or manifest row), 1 when a notebook fails (the report names notebook and cell).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import bench, scale
from analysis.errors import InputError
from analysis.notebooks import NotebookExecutionError

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


def _add_dirs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", type=Path, default=Path("data/raw"),
                        help="raw corpus: manifest.csv and article files (default: data/raw)")
    parser.add_argument("--processed", type=Path, default=Path("data/processed"),
                        help="where processed tables go (default: data/processed)")
    parser.add_argument("--reports", type=Path, default=Path("reports"),
                        help="figures, HTML and executed notebooks (default: reports)")


def _print_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _checked_corpus(raw: Path):
    """``corpus.check_corpus(raw)`` with its warnings printed: every command checks the
    raw corpus here once, before any work, and hands the report on."""
    from analysis import corpus

    report = corpus.check_corpus(raw)
    _print_warnings(report.warnings)
    return report


def cmd_validate(args: argparse.Namespace) -> int:
    report = _checked_corpus(args.raw)
    print(f"{args.raw}: {len(report.manifest)} articles, valid")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from analysis import pipeline

    written = pipeline.build_tables(args.raw, args.processed, _checked_corpus(args.raw))
    print(f"wrote {len(written)} files to {args.processed}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from analysis import pipeline

    # Checked before any kernel starts: bad input fails at once.
    executed = pipeline.run_all(args.raw, args.processed, args.reports,
                                notebooks_dir=args.notebooks, workers=args.workers,
                                checked=_checked_corpus(args.raw))
    print(f"executed {len(executed)} notebooks into {executed[0].parent if executed else '-'}; "
          f"HTML in {args.reports / 'html'}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from analysis import notebooks

    name, values = args.parameter
    table = notebooks.sweep_notebook(
        args.notebook, name, notebooks.parse_sweep_values(values),
        parameters={"raw_dir": args.raw.absolute(), "processed_dir": args.processed.absolute()},
        reports_dir=args.reports, workers=args.workers,
    )
    print(f"{len(table)} rows from {len(table[name].unique())} runs of {args.notebook}; "
          f"executed copies in {args.reports / 'runs' / Path(args.notebook).stem}")
    return 0


def cmd_framing_sheet(args: argparse.Namespace) -> int:
    from analysis import tables, validation

    sentences = validation.read_processed(args.processed, ["sentences"])["sentences"]
    sheet = validation.coding_sheet(sentences)
    tables.write_bytes_atomic(args.out, sheet.to_csv(index=False, lineterminator="\n")
                              .encode("utf-8"))
    print(f"wrote a blank coding sheet of {len(sheet)} sentences to {args.out}")
    return 0


def cmd_framing_score(args: argparse.Namespace) -> int:
    from analysis import tables, validation, validation_report

    splits = validation.SPLITS if args.split == "all" else tuple(args.split.split(","))
    unknown = [split for split in splits if split not in validation.SPLITS]
    if unknown:
        raise InputError([f"--split: unknown part(s) {unknown}; the parts are "
                          f"{list(validation.SPLITS)} or all"])
    scores, parts = validation.score_processed(args.processed, args.validation, splits)
    command = f"python -m analysis framing-validation score --processed DIR --split {args.split}"
    table = validation_report.scores_table(scores).round(6)
    # Both files or neither: the report and its scores table always agree.
    with tables.staged_directory(args.out) as staging:
        (staging / "framing.md").write_bytes(
            validation_report.report_markdown(scores, parts, command).encode("utf-8"))
        (staging / "framing_scores.csv").write_bytes(
            table.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    print(f"wrote {args.out / 'framing.md'} and {args.out / 'framing_scores.csv'}")
    return 0


def _add_framing_validation(commands) -> None:
    parser = commands.add_parser(
        "framing-validation", help="coding sheets and scores of the real-text validation set",
        description="See validation/framing/README.md: collect the texts, build them, then "
        "score the processed folder against the codes.")
    steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")
    sheet = steps.add_parser("sheet", help="a blank coding sheet of a processed folder")
    sheet.add_argument("--processed", type=Path, required=True,
                       help="processed folder of the collected texts")
    sheet.add_argument("--out", type=Path, required=True, help="the sheet (CSV) to write")
    sheet.set_defaults(func=cmd_framing_sheet)
    score = steps.add_parser("score", help="score a processed folder against the codes")
    score.add_argument("--processed", type=Path, required=True,
                       help="processed folder of the collected texts")
    score.add_argument("--validation", type=Path, default=Path("validation/framing"),
                       help="sources.csv and codes.csv (default: validation/framing)")
    # validation.SPLITS, spelled out: importing it here would load pandas for every command.
    score.add_argument("--split", default="dev",
                       help="which parts to score, comma-separated, side by side: dev, test, "
                       "test2, test3, or all (default: dev; a held-out part only when work "
                       "is done)")
    score.add_argument("--out", type=Path, default=Path("reports/validation"),
                       help="where framing.md and framing_scores.csv go "
                       "(default: reports/validation)")
    score.set_defaults(func=cmd_framing_score)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Framing of security guarantees for Ukraine: validate the raw corpus, "
        "build processed tables, execute and render the notebooks.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check manifest and article files")
    _add_dirs(validate)
    validate.set_defaults(func=cmd_validate)

    build = commands.add_parser("build", help="validate, then write the processed tables")
    _add_dirs(build)
    build.set_defaults(func=cmd_build)

    run = commands.add_parser("run", help="build, then execute every notebook and render HTML")
    _add_dirs(run)
    run.add_argument("--notebooks", type=Path, default=Path("notebooks"),
                     help="source notebooks (default: notebooks)")
    run.add_argument("--workers", type=int, default=None,
                     help="notebooks run side by side (default: min(2, cores))")
    run.set_defaults(func=cmd_run)

    sweep = commands.add_parser(
        "sweep", help="execute a notebook once per parameter value and collect its tables",
        description="Example: python -m analysis sweep notebooks/04_topics.ipynb -p k 2,3,4,5",
    )
    _add_dirs(sweep)
    sweep.add_argument("notebook", type=Path, help="the notebook (it must declare run_output)")
    sweep.add_argument("-p", "--parameter", nargs=2, metavar=("NAME", "VALUES"), required=True,
                       help="the swept parameter and its comma-separated values")
    sweep.add_argument("--workers", type=int, default=None, help="runs side by side")
    sweep.set_defaults(func=cmd_sweep)

    _add_framing_validation(commands)
    scale.add_score_command(commands)
    bench.add_bench_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NotebookExecutionError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
