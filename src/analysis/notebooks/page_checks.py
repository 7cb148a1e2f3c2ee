"""What a reviewer needs of a rendered page, checked without a browser.

A page must work offline and whole: it loads nothing from the network (no script,
style, font or image by URL) and runs no script; every image is embedded and decodes;
every link inside the page finds its target, and every link to a file beside the
pages (the landing page, a whole table) finds the file. A notebook page opens with
its findings, before any cell of the notebook.
``scripts/screenshot_pages.py`` runs these checks and then looks at the pages in
headless Chromium with the network off.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# The first bytes of the image formats a page embeds.
_IMAGE_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/svg+xml": b"<"}
# Attributes through which a page would fetch something.
_FETCHING = {("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src"),
             ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"),
             ("object", "data")}


class _PageParts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.fetched: list[tuple[str, str]] = []
        self.scripts = 0
        self.styles: list[str] = []
        self.order: list[str] = []  # "findings" and "cell" in the order they appear
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        classes = (attributes.get("class") or "").split()
        if "analysis-findings" in classes or attributes.get("id") == "analysis-findings":
            self.order.append("findings")
        if "jp-Cell" in classes:
            self.order.append("cell")
        if tag == "script":
            self.scripts += 1
        if tag == "style":
            self._in_style = True
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name, value in attrs:
            if (tag, name) in _FETCHING and value:
                self.fetched.append((tag, value))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def page_problems(path: str | os.PathLike, findings_first: bool = True) -> list[str]:
    """Every reason the page at ``path`` would not show whole, offline; empty if none.

    Parameters
    ----------
    path : path-like
        A rendered page (or the landing page) in its folder.
    findings_first : bool
        Whether the page must show its findings before any notebook cell (notebook
        pages; not the landing page, which has no cells).

    Returns
    -------
    list of str
        One line per problem, naming the page.
    """
    path = Path(path)
    parts = _PageParts()
    parts.feed(path.read_text(encoding="utf-8"))
    parts.close()
    problems = [f"{path.name}: runs {parts.scripts} script element(s)"] if parts.scripts else []
    for tag, value in parts.fetched:
        problem = _embedded_problem(value) if value.startswith("data:") else (
            None if tag == "a" else f"fetches {value[:80]!r}")
        if problem:
            problems.append(f"{path.name}: <{tag}> {problem}")
    problems += [f"{path.name}: its style fetches {url}" for url in _style_urls(parts.styles)]
    for link in parts.links:
        problem = _link_problem(link, parts.ids, path.parent)
        if problem:
            problems.append(f"{path.name}: link {link[:80]!r} {problem}")
    if findings_first and (not parts.order or parts.order[0] != "findings"):
        problems.append(f"{path.name}: the findings do not come before the notebook's cells")
    return problems


def _embedded_problem(uri: str) -> str | None:
    header, _, payload = uri.partition(",")
    mime = header[len("data:"):].split(";")[0]
    if mime not in _IMAGE_MAGIC:
        return f"embeds {mime or 'data'} that no page needs"
    try:
        data = base64.b64decode(payload, validate=True) if ";base64" in header else \
            unquote(payload).encode("utf-8")
    except (binascii.Error, ValueError):
        return f"embeds a {mime} that does not decode"
    if not data.lstrip().startswith(_IMAGE_MAGIC[mime]):
        return f"embeds a {mime} that is not one"
    return None


def _style_urls(styles: list[str]) -> list[str]:
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", "\n".join(styles))
    return sorted({u or i for u, i in urls if not (u or i).startswith(("data:", "#"))})


def _link_problem(link: str, ids: set[str], folder: Path) -> str | None:
    parts = urlsplit(link)
    if parts.scheme in ("http", "https", "mailto"):
        return None  # a reader may follow it; the page does not load it
    if parts.scheme:
        return f"has the scheme {parts.scheme!r}"
    if not parts.path:
        return None if unquote(parts.fragment) in ids or parts.fragment in ids else \
            "points to no element of the page"
    target = folder / unquote(parts.path)
    return None if target.is_file() else f"points to {target}, which does not exist"
