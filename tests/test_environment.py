"""The environment files agree, and the package needs no NLTK data or network."""

from __future__ import annotations

import importlib.util
import re

import yaml

from factories import ROOT

_spec = importlib.util.spec_from_file_location(
    "write_environment_yml", ROOT / "scripts" / "write_environment_yml.py"
)
write_environment_yml = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(write_environment_yml)


def _environment_pins() -> list[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict))
    return [pin for pin in pip_section if "==" in pin]


def test_environment_yml_carries_the_lock_pins_exactly():
    lock = write_environment_yml.lock_pins((ROOT / "requirements.lock").read_text("utf-8"))
    assert lock, "requirements.lock has no pins"
    assert sorted(_environment_pins()) == sorted(lock)


def test_every_direct_requirement_is_pinned():
    # A requirement line is a name, maybe with extras and a version constraint.
    direct = [
        re.split(r"[\s\[<>=!~;]", line.split("#")[0].strip(), maxsplit=1)[0].lower()
        for line in (ROOT / "requirements.in").read_text("utf-8").splitlines()
        if line.split("#")[0].strip()
    ]
    pinned = {pin.split("==")[0].lower().replace("_", "-") for pin in _environment_pins()}
    missing = [name for name in direct if name.replace("_", "-") not in pinned]
    assert not missing


def test_lock_pins_parser_reads_only_pins():
    text = "# header\nfoo==1.2\n    # via bar\nbaz-qux==0.1.0 ; python_version >= '3'\n"
    assert write_environment_yml.lock_pins(text) == ["foo==1.2", "baz-qux==0.1.0"]


def test_package_source_never_downloads_nltk_data():
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "src").rglob("*.py"))
    assert not re.search(r"nltk\.download\s*\(", source)
