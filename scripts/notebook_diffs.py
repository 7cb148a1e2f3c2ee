"""An nbdime diff of every notebook a change altered, as one HTML page each.

Usage (from the repository root, in CI on a pull request)::

    .venv/bin/python scripts/notebook_diffs.py BASE_REF OUT_DIR

For every ``notebooks/*.ipynb`` that differs between ``BASE_REF`` and the working tree
(sources and outputs alike: an executed notebook's outputs are what a reviewer checks),
``nbdiff`` (nbdime's content-aware diff, cell by cell, outputs included) writes its text
diff, and this script wraps it into ``OUT_DIR/<name>.html`` with an ``index.html``
listing them. The pages are plain HTML: no script, nothing fetched. A notebook added or
removed by the change is diffed against an empty notebook. Exit status 2 for a base
reference git does not know.
"""

from __future__ import annotations

import html
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:2em}}pre{{white-space:pre-wrap;
font-size:13px;background:#f6f8fa;padding:1em}}</style></head>
<body><h1>{title}</h1>{body}</body></html>
"""


def changed_notebooks(base: str) -> list[str]:
    """Paths of the notebooks that differ between ``base`` and the working tree."""
    out = subprocess.run(["git", "diff", "--name-only", base, "--", "notebooks/*.ipynb"],
                         check=True, capture_output=True, text=True).stdout
    return sorted(line for line in out.splitlines() if line)


def notebook_at(base: str, path: str, folder: Path) -> Path:
    """The notebook ``path`` as of ``base`` in ``folder``; an empty one if it did not exist."""
    target = folder / Path(path).name
    shown = subprocess.run(["git", "show", f"{base}:{path}"], capture_output=True)
    target.write_bytes(shown.stdout if shown.returncode == 0
                       else nbformat.writes(nbformat.v4.new_notebook()).encode("utf-8"))
    return target


def diff_page(before: Path, after: Path, title: str) -> str:
    """nbdime's text diff of two notebooks, as an HTML page."""
    result = subprocess.run([sys.executable, "-m", "nbdime", "diff", "--no-color",
                             str(before), str(after)], capture_output=True, text=True)
    text = result.stdout or result.stderr or "no difference nbdime can show"
    return PAGE.format(title=html.escape(title), body=f"<pre>{html.escape(text)}</pre>")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    base, out_dir = argv[0], Path(argv[1])
    known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"],
                           capture_output=True)
    if known.returncode != 0:
        print(f"error: git does not know the base reference {base!r}", file=sys.stderr)
        return 2
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = changed_notebooks(base)
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            after = Path(path)
            if not after.exists():
                after = Path(folder) / f"removed-{after.name}"
                after.write_text(nbformat.writes(nbformat.v4.new_notebook()), encoding="utf-8")
            page = diff_page(notebook_at(base, path, Path(folder)), after,
                             f"{path}: {base[:12]} against this change")
            (out_dir / f"{Path(path).stem}.html").write_text(page, encoding="utf-8")
    items = "".join(f'<li><a href="{html.escape(Path(p).stem)}.html">{html.escape(p)}</a></li>'
                    for p in paths) or "<li>no notebook changed</li>"
    (out_dir / "index.html").write_text(
        PAGE.format(title="Notebooks changed", body=f"<ul>{items}</ul>"), encoding="utf-8")
    print(f"{len(paths)} notebook diff(s) in {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
