"""The environment files agree, the set-up checks hashes, and the package needs no NLTK
data or network."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter

import pytest
import yaml

from factories import ROOT

_spec = importlib.util.spec_from_file_location(
    "write_environment_yml", ROOT / "scripts" / "write_environment_yml.py"
)
write_environment_yml = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(write_environment_yml)

normalise = write_environment_yml.normalise


def _lock_text() -> str:
    return (ROOT / "requirements.lock").read_text(encoding="utf-8")


def _names() -> dict[str, str]:
    return write_environment_yml.conda_forge_names(
        write_environment_yml.NAMES_FILE.read_text(encoding="utf-8"))


def _environment() -> tuple[list[str], list[str]]:
    """environment.yml's conda dependencies and its pip list."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [dep for dep in env["dependencies"] if isinstance(dep, str)]
    pip = next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict))
    return conda, pip


def _environment_pins() -> list[str]:
    """Every pin of environment.yml as the lock writes it (``pypi-name==version``)."""
    pypi_name = {conda: pypi for pypi, conda in _names().items()}
    conda, pip = _environment()
    pins = []
    for spec in conda:
        if "==" in spec:
            name, version = spec.split("==", 1)
            pins.append(f"{pypi_name.get(name, '?' + name)}=={version}")
    return pins + [pin for pin in pip if "==" in pin]


def test_environment_yml_is_what_the_script_writes():
    pins = write_environment_yml.lock_pins(_lock_text())
    expected = write_environment_yml.environment_yml(pins, _names())
    assert (ROOT / "environment.yml").read_text(encoding="utf-8") == expected, (
        "environment.yml is stale: run `python scripts/write_environment_yml.py`")


def test_every_lock_pin_is_in_environment_yml_exactly_once():
    lock = write_environment_yml.lock_pins(_lock_text())
    assert lock, "requirements.lock has no pins"
    env = _environment_pins()
    assert not [pin for pin in env if pin.startswith("?")], "conda names not in the mapping"
    assert [pin for pin, n in Counter(env).items() if n > 1] == []
    assert sorted(normalise(p.split("==")[0]) + "==" + p.split("==")[1] for p in env) \
        == sorted(lock)


def test_conda_forge_takes_what_the_mapping_names_and_pip_the_rest():
    names = _names()
    conda, pip = _environment()
    assert conda[:2] == ["python=3.11", "pip"]
    assert {spec.split("==")[0] for spec in conda[2:]} <= set(names.values())
    assert pip[-1] == "-e ."
    assert not [pin for pin in pip[:-1] if normalise(pin.split("==")[0]) in names]
    # Most of the lock is on conda-forge; what is not stays installable from PyPI.
    assert len(conda) - 2 > len(pip) - 1


def test_conda_forge_names_say_how_each_was_confirmed():
    names = _names()
    assert names["dask"] == "dask-core" and names["tzdata"] == "python-tzdata"
    duplicates = [name for name, n in Counter(names.values()).items() if n > 1]
    assert not duplicates, "two PyPI packages cannot be one conda-forge package"
    unconfirmed, unsourced = "foo foo\n", "foo foo looked it up\n"
    twice = "foo foo conda-forge/foo-feedstock\nFoo bar conda-forge/bar-feedstock\n"
    for bad in (unconfirmed, unsourced, twice):
        with pytest.raises(ValueError):
            write_environment_yml.conda_forge_names(bad)


def test_split_pins_renames_for_conda_forge_and_keeps_versions():
    conda, pip = write_environment_yml.split_pins(
        ["dask==2026.8.0", "krippendorff==0.9.0", "Ruamel.Yaml==0.19.1"],
        {"dask": "dask-core", "ruamel-yaml": "ruamel.yaml"})
    assert conda == ["dask-core==2026.8.0", "ruamel.yaml==0.19.1"]
    assert pip == ["krippendorff==0.9.0"]


def test_every_direct_requirement_is_pinned():
    # A requirement line is a name, maybe with extras and a version constraint.
    direct = [
        re.split(r"[\s\[<>=!~;]", line.split("#")[0].strip(), maxsplit=1)[0]
        for line in (ROOT / "requirements.in").read_text("utf-8").splitlines()
        if line.split("#")[0].strip()
    ]
    pinned = {normalise(pin.split("==")[0]) for pin in _environment_pins()}
    missing = [name for name in direct if normalise(name) not in pinned]
    assert not missing


def test_lock_pins_parser_reads_only_pins():
    text = ("# header\nfoo==1.2 \\\n    --hash=sha256:ab \\\n    --hash=sha256:cd\n"
            "    # via bar\nbaz-qux==0.1.0 ; python_version >= '3'\n")
    assert write_environment_yml.lock_pins(text) == ["foo==1.2", "baz-qux==0.1.0"]


def _hashes_per_pin(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    pin = None
    for line in text.splitlines():
        if m := write_environment_yml.PIN.match(line):
            pin = m.group(1)
            counts[pin] = 0
        elif pin and re.match(r"\s+--hash=sha256:[0-9a-f]{64}", line):
            counts[pin] += 1
        elif not line.startswith(" "):
            pin = None
    return counts


def test_the_locks_carry_a_hash_for_every_pin():
    counts = _hashes_per_pin(_lock_text())
    assert counts and not [pin for pin, n in counts.items() if n == 0]
    version = re.search(r"^UV_VERSION\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text("utf-8"),
                        re.MULTILINE).group(1)
    uv = _hashes_per_pin((ROOT / "requirements-uv.lock").read_text(encoding="utf-8"))
    assert list(uv) == [f"uv=={version}"] and uv[f"uv=={version}"] > 0


def test_the_set_up_installs_both_locks_checking_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    installs = [line for line in makefile.splitlines()
                if re.search(r"pip install .*-r (requirements\.lock|\$\(UV_LOCK\))", line)]
    commands = [c for line in installs for c in line.split(";")
                if re.search(r"pip install .*-r (requirements\.lock|\$\(UV_LOCK\))", c)]
    assert len(commands) == 3  # uv (with pip), then the lock with uv or with pip
    assert all("--require-hashes" in c and "--only-binary :all:" in c for c in commands)


def test_package_source_never_downloads_nltk_data():
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "src").rglob("*.py"))
    assert not re.search(r"nltk\.download\s*\(", source)
