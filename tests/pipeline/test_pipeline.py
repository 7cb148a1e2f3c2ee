"""The pipeline: one producer per table, parameters in one file, runs that only publish whole."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.data import tables
from analysis.errors import InputError
from analysis.notebooks import execute, files
from analysis.pipeline import build, params, steps
from analysis.views import validation_report

from factories import ROOT, SEED_RAW, make_corpus

# A small sweep keeps the real notebooks' run short; every table is still made.
QUICK = ["topics.k_values=[2, 3]", "topics.n_seeds=2"]


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def _quick_params():
    return params.with_overrides(params.read_params(), QUICK)


# --------------------------------------------------------------------------- steps


def test_every_catalog_table_has_exactly_one_producer():
    made = steps.producers()
    assert sorted(made) == sorted(tables.TABLES)
    outputs = [name for step in steps.STEPS for name in step.outputs]
    assert len(outputs) == len(set(outputs))


def test_two_producers_or_an_unmade_input_are_refused():
    twice = steps.STEPS + (steps.Step("again", dict, ("sentences",), ("frames",)),)
    with pytest.raises(ValueError, match="'frames' has two producers"):
        steps.producers(twice)
    orphan = (steps.Step("orphan", dict, ("nowhere",), ("frames",)),)
    with pytest.raises(ValueError, match="reads \\['nowhere'\\]"):
        steps.step_order(orphan)
    assert steps.step_order(orphan, given=("nowhere",)) == list(orphan)


def test_steps_run_after_the_producers_of_their_inputs():
    order = [step.name for step in steps.step_order()]
    made = steps.producers()
    for position, step in enumerate(steps.step_order()):
        for name in step.inputs:
            if name not in steps.GIVEN:
                assert order.index(made[name].name) < position
    # Declared backwards, the order is still right.
    assert [s.name for s in steps.step_order(tuple(reversed(steps.STEPS)))][0] == "corpus"


def test_per_article_steps_read_only_sentences():
    assert {step.name for step in steps.PER_ARTICLE_STEPS} == {
        "guarantee_mentions", "frames", "quotes", "sentiment"}
    assert all(step.inputs == ("sentences",) for step in steps.PER_ARTICLE_STEPS)


# --------------------------------------------------------------------------- parameters


def test_the_project_file_sets_every_parameter_validly():
    loaded = params.read_params()
    assert {group: sorted(values) for group, values in loaded.items()} == {
        group: sorted(checks) for group, checks in params.SCHEMA.items()}


def test_overrides_are_yaml_and_checked():
    base = params.read_params()
    changed = params.with_overrides(base, ["topics.k=6", "sentiment.sections=[body]"])
    assert changed["topics"]["k"] == 6 and changed["sentiment"]["sections"] == ["body"]
    assert base["topics"]["k"] is None  # the base is not modified
    with pytest.raises(InputError) as caught:
        params.with_overrides(base, ["topics.k=1", "topics.kk=3", "k=3",
                                     "sentiment.sections=[lede]"])
    problems = caught.value.problems
    assert len(problems) == 2
    assert "unknown parameter 'topics.kk'" in problems[0]
    assert "expected GROUP.NAME=VALUE" in problems[1]
    with pytest.raises(InputError, match=r"topics\.k = 1 must be an integer >= 2"):
        params.with_overrides(base, ["topics.k=1"])
    with pytest.raises(InputError, match="topics.model 'lda' must be one of topics.models"):
        params.with_overrides(base, ["topics.models=[nmf]", "topics.model=lda"])


@pytest.mark.parametrize(("text", "message"), [
    ("sentiment: {}\n", "sentiment.sections: missing"),
    ("- a list\n", "expected a mapping"),
    ("topics: [\n", "not valid YAML"),
    ("sentiment:\n  sections: [body]\n  n_boot: 0\n  seed: 0\nextra: {}\n", "unknown group"),
])
def test_a_bad_parameters_file_names_itself_and_the_problem(tmp_path, text, message):
    path = tmp_path / "params.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        params.read_params(path)
    assert any(str(path) in p and message in p for p in caught.value.problems)


def test_the_build_records_its_parameters_and_notebooks_read_them(tmp_path):
    raw = make_corpus(tmp_path)
    used = params.with_overrides(params.read_params(), ["sentiment.n_boot=50", *QUICK])
    written = build.build_tables(raw, tmp_path / "processed", step_params=used)
    assert tmp_path / "processed" / "params.yaml" in written
    assert params.read_used(tmp_path / "processed") == used
    with pytest.raises(InputError, match="run `python -m analysis build`"):
        params.read_used(tmp_path)


# --------------------------------------------------------------------------- runs


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the checkout's notebooks and seed corpus, run in place.

    (That a rerun gives the same bytes is tested on small notebooks in test_notebooks;
    the real ones take too long to run twice here.)"""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(SEED_RAW, root / "data" / "raw")
    folders = root / "data" / "raw", root / "data" / "processed", root / "reports"
    executed = build.run_all(*folders, notebooks_dir=root / "notebooks",
                             step_params=_quick_params())
    return {"root": root, "executed": executed}


def test_a_run_publishes_tables_notebooks_figures_and_pages(checkout):
    root = checkout["root"]
    assert checkout["executed"] == files.discover_notebooks(root / "notebooks")
    html = sorted(p.name for p in (root / "reports" / "html").iterdir())
    assert html == sorted(["index.html"] + [f"{p.stem}.html" for p in checkout["executed"]])
    assert any((root / "reports" / "figures").glob("04_topic_terms.png"))
    # Nothing else: no staging folders, no failed copies.
    assert sorted(p.name for p in root.iterdir()) == ["data", "notebooks", "reports"]
    assert sorted(p.name for p in (root / "reports").iterdir()) == ["figures", "html"]


def test_notebooks_write_nothing_under_processed(checkout, tmp_path):
    # The processed folder after a whole run is exactly what the build alone writes.
    build.build_tables(SEED_RAW, tmp_path, step_params=_quick_params())
    processed = checkout["root"] / "data" / "processed"
    assert _snapshot(processed) == _snapshot(tmp_path)


def test_the_checkout_run_injects_nothing(checkout):
    for path in checkout["executed"]:
        nb = nbformat.read(path, as_version=4)
        assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
        assert str(checkout["root"]) not in path.read_text("utf-8")


def _reading_notebooks(folder: Path, fail: bool) -> Path:
    """Two notebooks that read the articles table; the second fails if ``fail``."""
    folder.mkdir(parents=True)
    for name, last in (("01_read", "len(articles)"), ("02_read", "1 / 0" if fail else "2")):
        nb = new_notebook(cells=[
            new_markdown_cell(f"# {name}"),
            new_code_cell('processed_dir = "../data/processed"'),
            new_code_cell("import pandas as pd\n"
                          'articles = pd.read_csv(processed_dir + "/articles.csv")'),
            new_code_cell(last)])
        nb.cells[1].metadata.tags = ["parameters"]
        nb.metadata.kernelspec = {"name": "analysis", "display_name": "Python 3 (analysis)",
                                  "language": "python"}
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def _small_checkout(tmp_path: Path) -> tuple[Path, tuple[Path, Path, Path], Path]:
    """A checkout-like tree with a small corpus and two reading notebooks, run once."""
    root = tmp_path / "checkout"
    (root / "data").mkdir(parents=True)
    folders = make_corpus(root / "data"), root / "data" / "processed", root / "reports"
    nb_dir = _reading_notebooks(root / "notebooks", fail=False)
    build.run_all(*folders, notebooks_dir=nb_dir, step_params=_quick_params())
    return root, folders, nb_dir


def test_a_failed_notebook_publishes_nothing(tmp_path):
    root, folders, nb_dir = _small_checkout(tmp_path)
    raw = folders[0]
    _reading_notebooks(tmp_path / "failing", fail=True)
    shutil.copy2(tmp_path / "failing" / "02_read.ipynb", nb_dir / "02_read.ipynb")
    (raw / "manifest.csv").write_text((raw / "manifest.csv").read_text().replace(
        "Outlet", "Another outlet"))
    before = _snapshot(root)
    with pytest.raises(execute.NotebookExecutionError, match="02_read failed at cell 3"):
        build.run_all(*folders, notebooks_dir=nb_dir, step_params=_quick_params())
    kept = root / "reports" / "runs" / "failed" / "02_read.ipynb"
    assert kept.is_file()
    kept.unlink()
    shutil.rmtree(root / "reports" / "runs")
    assert _snapshot(root) == before


def test_unknown_notebook_is_input_error_before_anything_runs(tmp_path):
    raw = make_corpus(tmp_path)
    nb_dir = _reading_notebooks(tmp_path / "notebooks", fail=False)
    with pytest.raises(InputError, match="unknown notebook '99_nope'"):
        build.run_all(raw, tmp_path / "processed", tmp_path / "reports",
                      notebooks_dir=nb_dir, only=["99_nope"])
    assert not (tmp_path / "processed").exists()


def test_a_sweep_runs_once_per_value_into_its_own_folders(tmp_path):
    raw = make_corpus(tmp_path)
    nb_dir = _reading_notebooks(tmp_path / "notebooks", fail=False)
    base = params.with_overrides(_quick_params(), ["sentiment.seed=3"])
    folders = build.sweep(raw, tmp_path / "reports", "sentiment.n_boot", ["20", "10"],
                          notebooks_dir=nb_dir, only=["01_read"], step_params=base)
    runs = tmp_path / "reports" / "runs" / "sweep"
    assert folders == [runs / "sentiment.n_boot=20", runs / "sentiment.n_boot=10"]
    for folder, n_boot in zip(folders, (20, 10), strict=True):
        used = params.read_used(folder / "processed")
        assert used["sentiment"]["n_boot"] == n_boot and used["sentiment"]["seed"] == 3
        assert sorted(p.name for p in (folder / "notebooks").iterdir()) == ["01_read.ipynb"]
        assert (folder / "html" / "01_read.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "raw", "reports"]
    with pytest.raises(InputError, match="need distinct values"):
        build.sweep(raw, tmp_path / "reports", "sentiment.n_boot", ["5", "5"])
    with pytest.raises(InputError, match="unknown parameter"):
        build.sweep(raw, tmp_path / "reports", "sentiment.nboot", ["5"])


@pytest.mark.parametrize("where", ["raw", "raw/processed", "."])
def test_outputs_overlapping_the_raw_folder_are_refused_before_writing(tmp_path, where):
    raw = make_corpus(tmp_path)
    (raw / "README.md").write_text("the raw folder's own notes")
    before = _snapshot(tmp_path)
    with pytest.raises(InputError, match="never written"):
        build.build_tables(raw, tmp_path / where, step_params=_quick_params())
    with pytest.raises(InputError, match="never written"):
        build.run_all(raw, tmp_path / "processed", tmp_path / where,
                      notebooks_dir=_reading_notebooks(tmp_path / f"nb-{len(where)}", False))
    shutil.rmtree(tmp_path / f"nb-{len(where)}")
    assert _snapshot(tmp_path) == before


def test_a_run_of_some_notebooks_keeps_the_others_outputs(tmp_path):
    root, folders, nb_dir = _small_checkout(tmp_path)
    before = _snapshot(root)
    executed = build.run_all(*folders, notebooks_dir=nb_dir, step_params=_quick_params(),
                             only=["02_read"])
    assert executed == [nb_dir / "02_read.ipynb"]
    assert _snapshot(root) == before  # same inputs: every file as it was, the index too
    index = (root / "reports" / "html" / "index.html").read_text("utf-8")
    assert index.index('href="01_read.html"') < index.index('href="02_read.html"')


def test_a_run_of_some_notebooks_removes_only_their_stale_figures_and_tables(tmp_path):
    root, folders, nb_dir = _small_checkout(tmp_path)
    made = [root / "reports" / folder / name for folder in ("figures", "tables")
            for name in ("01_kept.csv", "02_stale.csv")]
    for path in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("made by an earlier run\n")
    build.run_all(*folders, notebooks_dir=nb_dir, step_params=_quick_params(),
                  only=["02_read"])
    assert [path.exists() for path in made] == [True, False, True, False]


def test_the_checkout_files_that_defaults_name_exist():
    assert params.PARAMS_FILE.is_file()
    assert validation_report.SCORES_FILE.is_file()


def test_topic_steps_fit_a_sample_and_give_every_sentence_its_shares(seed_sentences):
    topic_steps = [s for s in steps.STEPS if s.name.startswith("topic_")]
    base = params.read_params()
    capped = {**base, "topics": {**base["topics"], "k": 3, "k_values": [2, 3], "n_seeds": 2,
                                 "max_sentences": 20}}
    made = steps.run_steps({"sentences": seed_sentences, steps.PREVIOUS_TOPICS:
                            tables.empty_table("topic_terms")}, capped, topic_steps)
    assert set(made["topic_sweep"]["n_documents"]) == {20}
    weights = made["topic_weights"]
    documents = set(zip(weights["article_id"], weights["sentence_id"], strict=True))
    assert len(documents) > 20  # every sentence with content words, not the sample
    assert set(made["topic_prevalence"]["article_id"]) == set(seed_sentences["article_id"])
