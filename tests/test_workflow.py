"""The CI workflow: valid for GitHub, clean under zizmor's audit, and the notebook-diff
script it runs on pull requests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

from factories import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
BIN = Path(sys.executable).parent


def _schema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema",
                           "vendor.github-workflows", str(path)], capture_output=True, text=True)


def _audit(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "zizmor"), "--offline", "--min-severity", "high",
                           str(folder)], capture_output=True, text=True)


def test_the_workflow_passes_the_schema_and_the_audit():
    assert _schema(WORKFLOW).returncode == 0
    assert _audit(WORKFLOW.parent).returncode == 0
    text = WORKFLOW.read_text(encoding="utf-8")
    for step in ("make test", "make run", "git status --porcelain", "upload-artifact",
                 "scripts/notebook_diffs.py"):
        assert step in text


def test_the_checks_refuse_a_broken_or_unsafe_workflow(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    broken = folder / "ci.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"),
                      encoding="utf-8")
    assert _schema(broken).returncode != 0
    unpinned = WORKFLOW.read_text(encoding="utf-8").replace(
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4")
    broken.write_text(unpinned, encoding="utf-8")
    audit = _audit(folder)
    assert audit.returncode != 0 and "unpinned-uses" in audit.stdout + audit.stderr


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def test_notebook_diffs_writes_a_page_per_changed_notebook(tmp_path):
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.org")
    _git(repo, "config", "user.name", "t")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Old <b>text</b>")])
    nbformat.write(notebook, repo / "notebooks" / "01_a.ipynb")
    nbformat.write(notebook, repo / "notebooks" / "02_b.ipynb")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    base = _git(repo, "rev-parse", "HEAD").strip()
    notebook.cells[0].source = "New text"
    nbformat.write(notebook, repo / "notebooks" / "01_a.ipynb")
    out = tmp_path / "diffs"
    script = ROOT / "scripts" / "notebook_diffs.py"
    done = subprocess.run([sys.executable, str(script), base, str(out)], cwd=repo,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["01_a.html", "index.html"]
    page = (out / "01_a.html").read_text(encoding="utf-8")
    assert "New text" in page and "Old &lt;b&gt;text&lt;/b&gt;" in page
    assert "<script" not in page
    unknown = subprocess.run([sys.executable, str(script), "nosuchref", str(out)], cwd=repo,
                             capture_output=True, text=True)
    assert unknown.returncode == 2 and "nosuchref" in unknown.stderr
