"""Look at the rendered pages as a reviewer would: offline, in headless Chromium.

    python scripts/screenshot_pages.py [--html reports/html] [--out reports/screenshots]

First every page is checked without a browser (analysis.notebooks.page_checks): no
script, nothing fetched from the network, every image embedded and whole, every link
finding its target, and on notebook pages the findings before the first cell. Then
Chromium, with every host name unresolvable (the network is off for it), writes the
first screen of each page, 1280 pixels wide, as ``<out>/<page>.png``: the landing page
and every notebook page, to be looked at. ``make screenshots`` runs it.

Chromium comes from Debian's packages (``apt-get install chromium``); it is not a
dependency of the project's two commands. Exit status: 0 when every page passes and
has its screenshot, 1 when a page has problems (each listed), 2 without Chromium or
pages.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from analysis.notebooks.page_checks import page_problems

# Flags of a headless, offline, reproducible Chromium: no GPU, no sandbox (CI runs as
# root), no background fetches, and no host name resolves.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
LANDING_PAGE = "index.html"


def find_chromium() -> str | None:
    """The first Chromium on PATH, else None."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def screenshot(chromium: str, page: Path, out: Path, width: int, height: int) -> Path:
    """Write the first ``width`` x ``height`` pixels of ``page`` to ``out`` (PNG)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
             f"--window-size={width},{height}", f"--screenshot={out.absolute()}",
             page.absolute().as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=Path("reports/html"),
                        help="the rendered pages (default: reports/html)")
    parser.add_argument("--out", type=Path, default=Path("reports/screenshots"),
                        help="where the PNG files go (default: reports/screenshots)")
    parser.add_argument("--width", type=int, default=1280, help="pixels (default: 1280)")
    parser.add_argument("--height", type=int, default=1800, help="pixels (default: 1800)")
    args = parser.parse_args(argv)

    pages = sorted(args.html.glob("*.html"))
    if not pages:
        print(f"error: {args.html}: no pages; run `make run` first", file=sys.stderr)
        return 2
    problems = [problem for page in pages
                for problem in page_problems(page, findings_first=page.name != LANDING_PAGE)]
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    chromium = find_chromium()
    if chromium is None:
        print("error: no headless Chromium on PATH; on Debian: apt-get install chromium",
              file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        shot = screenshot(chromium, page, args.out / f"{page.stem}.png", args.width,
                          args.height)
        print(f"{page} -> {shot}")
    print(f"{len(pages)} pages checked offline, {len(problems)} problems; screenshots in "
          f"{args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
