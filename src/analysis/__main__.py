"""Command line: ``python -m analysis COMMAND``; ``--help`` lists the commands.

Exit status: 0 on success, 2 on bad input (one line per problem on stderr, naming the
file or manifest row, or the notebook and cell that refused a parameter's value), 1 when
a notebook fails otherwise (the report names notebook and cell).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from analysis.errors import InputError
from analysis.notebooks.execute import NotebookExecutionError
from analysis.pipeline import scale

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1

# Raw data the tool never writes (but `add`, which adds articles to the corpus): the
# corpus and the hand-coded sheets.
DEFAULT_RAW = Path("data/raw")
DEFAULT_CODING = Path("data/coding")

def positive_int(text: str) -> int:
    """An argument that must be a whole number of at least 1 (argparse ``type``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _add_dirs(parser: argparse.ArgumentParser, processed: bool = True,
              reports: bool = True) -> None:
    """The folder options a command reads or writes; only those (its --help says no more)."""
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                        help="raw corpus: manifest.csv and article files (default: data/raw)")
    if processed:
        parser.add_argument("--processed", type=Path, default=Path("data/processed"),
                            help="where processed tables go (default: data/processed)")
    if reports:
        parser.add_argument("--reports", type=Path, default=Path("reports"),
                            help="figures, HTML and executed notebooks (default: reports)")


def _add_params(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--params", type=Path, default=None,
                        help="the steps' parameters file (default: the project's params.yaml)")
    parser.add_argument("-p", "--set", action="append", default=[], metavar="GROUP.NAME=VALUE",
                        help="override one parameter for this run, e.g. -p topics.k=6 "
                        "(repeatable)")


def _add_notebooks(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--notebooks", type=Path, default=Path("notebooks"),
                        help="source notebooks (default: notebooks)")
    parser.add_argument("--notebook", action="append", default=None, metavar="NAME",
                        help="run only this notebook, e.g. 04_topics (repeatable; "
                        "default: all)")
    parser.add_argument("--workers", type=int, default=None,
                        help="notebooks run side by side (default: min(2, cores))")


def _add_notebook_params(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-n", "--notebook-param", action="append", default=[],
                        metavar="NAME=VALUE",
                        help="set a notebook parameter for this run in every notebook that "
                        "declares it, e.g. -n article_a=ked-2025-02-27 (repeatable; VALUE is "
                        "a Python literal or plain text)")


def _print_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _checked_corpus(raw: Path, announce: bool = True):
    """``corpus.check_corpus(raw)`` with its warnings printed: every command checks the
    raw corpus here once, before any work, and hands the report on. ``announce``: say
    on stderr that the corpus was checked, and in how long."""
    from analysis.data import corpus
    from analysis.progress import say

    start = time.perf_counter()
    report = corpus.check_corpus(raw)
    _print_warnings(report.warnings)
    if announce:
        say(f"validate: {raw}: {len(report.manifest)} articles, valid "
            f"({time.perf_counter() - start:.1f} s)")
    return report


def cmd_validate(args: argparse.Namespace) -> int:
    report = _checked_corpus(args.raw, announce=False)
    print(f"{args.raw}: {len(report.manifest)} articles, valid")
    return 0


def _step_params(args: argparse.Namespace):
    """The parameters file with the command's ``-p`` overrides, checked."""
    from analysis.pipeline import params

    return params.with_overrides(params.read_params(args.params), args.set)


def cmd_build(args: argparse.Namespace) -> int:
    from analysis.pipeline import build

    step_params = _step_params(args)
    written = build.build_tables(args.raw, args.processed, _checked_corpus(args.raw),
                                 step_params)
    print(f"wrote {len(written)} files to {args.processed}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from analysis.notebooks.parameters import parse_assignments
    from analysis.pipeline import build

    step_params = _step_params(args)
    notebook_params = parse_assignments(args.notebook_param)
    # Checked before any kernel starts: bad input fails at once.
    executed = build.run_all(args.raw, args.processed, args.reports,
                             notebooks_dir=args.notebooks, workers=args.workers,
                             checked=_checked_corpus(args.raw), step_params=step_params,
                             only=args.notebook, notebook_params=notebook_params,
                             coding_dir=args.coding)
    print(f"executed {len(executed)} notebooks into {executed[0].parent if executed else '-'}; "
          f"HTML in {args.reports / 'html'}")
    return 0


def cmd_articles(args: argparse.Namespace) -> int:
    from analysis.data import tables

    articles = tables.read_tables(args.processed, ["articles"])["articles"]
    listed = articles.sort_values(["published", "article_id"], kind="stable")
    columns = ["article_id", "published", "outlet", "n_sentences", "title"]
    print(listed[columns].to_string(index=False, max_colwidth=60))
    print(f"{len(listed)} articles in {args.processed}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from analysis.pipeline import build, params

    name, values = args.parameter
    folders = build.sweep(args.raw, args.reports, name, values.split(","),
                          notebooks_dir=args.notebooks, only=args.notebook,
                          workers=args.workers, checked=_checked_corpus(args.raw),
                          step_params=params.read_params(args.params))
    print(f"{len(folders)} runs of {name}: tables, notebooks, figures and HTML in "
          f"{folders[0].parent}/<{name}=value>/")
    return 0


def cmd_install_kernel(args: argparse.Namespace) -> int:
    from analysis.notebooks.kernel import KERNEL_NAME, install_kernel

    path = install_kernel()
    print(f"installed the {KERNEL_NAME!r} kernel: {path}")
    return 0


def cmd_framing_sheet(args: argparse.Namespace) -> int:
    from analysis.data import tables
    from analysis.measures import validation

    sentences = tables.read_tables(args.processed, ["sentences"])["sentences"]
    sheet = validation.coding_sheet(sentences)
    tables.write_bytes_atomic(args.out, tables.csv_bytes(sheet))
    print(f"wrote a blank coding sheet of {len(sheet)} sentences to {args.out}")
    return 0


def cmd_framing_score(args: argparse.Namespace) -> int:
    from analysis.data import tables
    from analysis.measures import validation
    from analysis.pipeline import publish
    from analysis.views import validation_report

    splits = validation.SPLITS if args.split == "all" else tuple(args.split.split(","))
    unknown = [split for split in splits if split not in validation.SPLITS]
    if unknown:
        raise InputError([f"--split: unknown part(s) {unknown}; the parts are "
                          f"{list(validation.SPLITS)} or all"])
    scores, parts = validation.score_processed(args.processed, args.validation, splits)
    command = f"python -m analysis framing-validation score --processed DIR --split {args.split}"
    # Both files or neither: the report and its scores table always agree.
    with publish.Transaction(args.out) as transaction:
        staging = transaction.stage(args.out, "update")
        (staging / "framing.md").write_bytes(
            validation_report.report_markdown(scores, parts, command).encode("utf-8"))
        (staging / "framing_scores.csv").write_bytes(
            tables.csv_bytes(validation_report.scores_table(scores)))
    print(f"wrote {args.out / 'framing.md'} and {args.out / 'framing_scores.csv'}")
    return 0


def cmd_codesheet(args: argparse.Namespace) -> int:
    from analysis.data import tables
    from analysis.measures.validation import coding
    from analysis.pipeline import publish

    read = tables.read_tables(args.processed, ["articles", "sentences"])
    sample = coding.draw_sample(read["sentences"], read["articles"], args.n, args.seed,
                                by=args.by)
    sheet = coding.sample_sheet(read["sentences"], sample)
    for raw in (DEFAULT_RAW, DEFAULT_CODING):
        publish.refuse_overlap(raw, [args.out.parent])
    tables.write_bytes_atomic(args.out, tables.csv_bytes(sheet))
    print(f"wrote a coding sheet of {len(sheet)} sentences (stratified by {args.by}, "
          f"{sample['stratum'].nunique()} strata, seed {args.seed}) to {args.out}; once "
          f"coded, put it in data/coding/ and list it in data/coding/coders.csv")
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from analysis.data import tables
    from analysis.views import coding_report

    read = tables.read_tables(args.processed, ["sentences", "guarantee_mentions"])
    sentences, mentions = read["sentences"], read["guarantee_mentions"]
    if not (args.coding / "coders.csv").is_file():
        raise InputError([f"{args.coding}: no coders.csv; code a sample first "
                          "(python -m analysis codesheet, data/coding/README.md)"])
    sample = coding_report.load_sample(args.coding, sentences, mentions)
    alpha = coding_report.alpha_table(sample, mentions)
    scores = coding_report.scores_table(sample, mentions)
    print(sample.coverage.how)
    print("\nKrippendorff's alpha (nominal):")
    print(alpha.to_string(index=False, float_format="{:.3f}".format))
    print("\nThe tool against the coders' consensus (95% Wilson intervals):")
    print(scores.to_string(index=False, float_format="{:.2f}".format))
    if args.out is not None:
        from analysis.pipeline import publish

        for raw in (DEFAULT_RAW, args.coding):
            publish.refuse_overlap(raw, [args.out])
        # The three tables or none: a killed run leaves the previous set whole.
        with publish.Transaction(args.out) as transaction:
            staging = transaction.stage(args.out, "update")
            for name, table in (("agreement_alpha", alpha), ("agreement_scores", scores),
                                ("agreement_disagreements", coding_report.disagreement_table(
                                    sample, mentions, sentences))):
                (staging / f"{name}.csv").write_bytes(tables.csv_bytes(table))
        print(f"\nwrote agreement_alpha.csv, agreement_scores.csv and "
              f"agreement_disagreements.csv to {args.out}")
    return 0


def _add_agreement(commands) -> None:
    parser = commands.add_parser(
        "agreement", help="agreement of coders and tool on the hand-coded sample",
        description="Krippendorff's alpha between coders and between the tool and each "
        "coder, and the tool's precision and recall against the coders' consensus, on the "
        "coded sheets of data/coding (notebook 07 shows the same and more).")
    parser.add_argument("--processed", type=Path, default=Path("data/processed"),
                        help="processed tables (default: data/processed)")
    parser.add_argument("--coding", type=Path, default=DEFAULT_CODING,
                        help="coders.csv and the coded sheets (default: data/coding)")
    parser.add_argument("--out", type=Path, default=None,
                        help="also write the tables (CSV) to this folder")
    parser.set_defaults(func=cmd_agreement)


def cmd_add(args: argparse.Namespace) -> int:
    from analysis.data.corpus.adding import add_articles

    if len(args.files) > 1 and (args.id is not None or args.url is not None):
        raise InputError([f"{', '.join(args.files)}: --id and --url name one article; give "
                          "one FILE with them"])
    done = add_articles(args.raw, args.files, args.outlet, args.published, url=args.url,
                        language=args.language, note=args.note,
                        article_ids=None if args.id is None else [args.id])
    _print_warnings(done.warnings + done.corpus.warnings)
    for source, row in done.added:
        kept = f"; extracted from {args.raw / source.html_name}" if source.html_name else ""
        print(f"added {row['article_id']}: {args.raw / row['file']} ({len(source.text)} "
              f"bytes, sha256 {row['sha256'][:12]}{kept})")
    print(f"{args.raw}: {len(done.corpus.manifest)} articles, valid")
    return 0


def _add_add_command(commands) -> None:
    parser = commands.add_parser(
        "add", help="add article files to the raw corpus and list them in its manifest",
        description="Add articles to the raw corpus: a text file (UTF-8) is copied into "
        "it; an HTML page saved from the web (.html, .htm, .xhtml, or a file that begins "
        "like HTML) becomes <name>.txt, its title line and body paragraphs extracted with "
        "trafilatura; the page itself is kept beside it (<name>.html, or its own name if "
        "it ends in .htm or .xhtml) and named in the row's note. "
        "Each file gets a manifest.csv row (article_id, file, outlet, published, url, "
        "language, sha256, note) appended; then the corpus is validated. Nothing is "
        "written if any file or option is refused or the validation fails.")
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="article files: plain text or saved HTML pages")
    parser.add_argument("--outlet", required=True, help="the outlet of every FILE")
    parser.add_argument("--published", required=True, metavar="YYYY-MM-DD",
                        help="the publication date of every FILE")
    parser.add_argument("--url", default=None,
                        help="the article's address (one FILE only; default: an HTML "
                        "page's own address, if it gives one, else empty)")
    parser.add_argument("--language", default=None, metavar="CODE",
                        help="the articles' language (default: en)")
    parser.add_argument("--id", default=None, metavar="ARTICLE_ID",
                        help="the article's id (one FILE only; default: the outlet and the "
                        "date, e.g. kyiv-post-2025-03-04, with -2, -3 if taken)")
    parser.add_argument("--note", default=None,
                        help="the rows' note (an HTML page's also names the page)")
    _add_dirs(parser, processed=False, reports=False)
    parser.set_defaults(func=cmd_add)


def _add_codesheet(commands) -> None:
    parser = commands.add_parser(
        "codesheet", help="a random sample of sentences to code by hand (a CSV sheet)",
        description="Draw a stratified random sample of the corpus's sentences and write "
        "its coding sheet (docs/codebook.md); each row records the sentence's inclusion "
        "probability. The tool's labels are not on the sheet.")
    parser.add_argument("--n", type=int, required=True, help="sentences to draw")
    parser.add_argument("--seed", type=int, required=True, help="seed of the draw")
    parser.add_argument("--by", choices=("article", "period", "outlet"), default="article",
                        help="strata: articles, months or outlets (default: article)")
    parser.add_argument("--processed", type=Path, default=Path("data/processed"),
                        help="processed tables (default: data/processed)")
    parser.add_argument("--out", type=Path, required=True, help="the sheet (CSV) to write")
    parser.set_defaults(func=cmd_codesheet)


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


def _add_score_command(subparsers) -> None:
    parser = subparsers.add_parser(
        "score", help="score a large corpus into Parquet tables, on Dask",
        description="Score every article of a raw corpus (manifest.csv + files) into "
        "Parquet tables with the columns of the processed CSVs, one part per partition.")
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                        help="raw corpus: manifest.csv and article files (default: data/raw)")
    parser.add_argument("--out", type=Path, required=True,
                        help="output folder: <table>/part-NNNNN.parquet and skipped.csv")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask distributed scheduler to run on, e.g. tcp://host:8786 "
                        "(default: local processes, one per core)")
    parser.add_argument("--workers", type=positive_int,
                        help="local worker processes (default: every core)")
    parser.add_argument("--articles-per-partition", type=positive_int,
                        help="articles a task scores (default: about "
                        f"{scale.PARTITIONS_PER_WORKER} partitions a worker, "
                        f"{scale.MIN_ARTICLES_PER_PARTITION}-"
                        f"{scale.MAX_ARTICLES_PER_PARTITION} articles each)")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="skip bad articles and list them instead of failing")
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="no progress report (default: a bar on a terminal; plain "
                        "lines every 10 s in a log, never carriage returns)")
    parser.set_defaults(func=cmd_score)


def cmd_score(args: argparse.Namespace) -> int:
    report = scale.score_corpus(args.raw, args.out, scheduler=args.scheduler,
                                n_workers=args.workers,
                                articles_per_partition=args.articles_per_partition,
                                skip_invalid=args.skip_invalid,
                                progress=args.progress)
    for article_id, problems in report.skipped:
        for problem in problems:
            print(f"skipped {article_id}: {problem}", file=sys.stderr)
    if report.skipped:
        print(f"skipped {len(report.skipped)} article(s), listed in "
              f"{report.out_dir / scale.SKIPPED_FILE}", file=sys.stderr)
    counts = ", ".join(f"{name} {count}" for name, count in report.rows.items())
    print(f"scored {report.n_articles} articles ({report.n_sentences} sentences) in "
          f"{report.partitions} partition(s) into {report.out_dir}: {counts} rows")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Framing of security guarantees for Ukraine: validate the raw corpus, "
        "build processed tables, execute and render the notebooks.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check manifest and article files")
    _add_dirs(validate, processed=False, reports=False)
    validate.set_defaults(func=cmd_validate)
    _add_add_command(commands)

    build = commands.add_parser("build", help="validate, then write the processed tables")
    _add_dirs(build, reports=False)
    _add_params(build)
    build.set_defaults(func=cmd_build)

    run = commands.add_parser("run", help="build, then execute every notebook and render HTML")
    _add_dirs(run)
    _add_params(run)
    _add_notebooks(run)
    _add_notebook_params(run)
    run.add_argument("--coding", type=Path, default=None,
                     help="the corpus's hand-coded sample (coders.csv and sheets; default: "
                     "data/coding for the checkout's own corpus, else none)")
    run.set_defaults(func=cmd_run)

    listing = commands.add_parser(
        "articles", help="list the corpus's articles (ids, dates, outlets, titles)",
        description="The articles of a processed folder, oldest first: the ids notebooks "
        "compare (-n article_a=ID on `run`).")
    listing.add_argument("--processed", type=Path, default=Path("data/processed"),
                         help="processed tables (default: data/processed)")
    listing.set_defaults(func=cmd_articles)

    sweep = commands.add_parser(
        "sweep", help="one whole run per value of a step parameter, each in its own folder",
        description="Example: python -m analysis sweep -p topics.k 3,4,5 --notebook "
        "04_topics. Each run goes to <reports>/runs/sweep/<name>=<value>/.",
    )
    _add_dirs(sweep, processed=False)
    sweep.add_argument("--params", type=Path, default=None,
                       help="the steps' parameters file the values override (default: the "
                       "project's params.yaml)")
    sweep.add_argument("-p", "--parameter", nargs=2, metavar=("GROUP.NAME", "VALUES"),
                       required=True, help="the swept parameter and its comma-separated "
                       "values (YAML each)")
    _add_notebooks(sweep)
    sweep.set_defaults(func=cmd_sweep)

    kernel = commands.add_parser(
        "install-kernel", help="install the project's Jupyter kernel into this environment",
        description="The kernel the notebooks name: this interpreter with the pinned "
        "environment (hash seed, matplotlib backend, one BLAS thread). `make` runs it.")
    kernel.set_defaults(func=cmd_install_kernel)

    _add_codesheet(commands)
    _add_agreement(commands)
    _add_framing_validation(commands)
    _add_score_command(commands)
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
        # A notebook that refused its input (an unknown article id or period given with
        # -n) is bad input like any other, not a broken notebook.
        bad_input = all(failure.ename == InputError.__name__ for failure in error.failures)
        return EXIT_BAD_INPUT if bad_input else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
