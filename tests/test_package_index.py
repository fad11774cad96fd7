"""The shipped package index, the standard-library tables and the import-name map; HAL001 and
HAL003 for modules that are invented, real but not installed, or standard library elsewhere."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from halluc_check.knowledge.module_origin import Kind, curated, origin_of, stdlib_names
from halluc_check.knowledge.near_miss import edit_distance, near_miss
from halluc_check.knowledge.package_index import IndexError_, PackageIndex, normalise, shipped
from halluc_check.model import Finding, Severity


def test_index_knows_real_names_in_any_spelling_and_not_invented_ones() -> None:
    index = shipped()
    assert len(index) > 800_000
    assert index.date >= "2026-01"
    for name in ("requests", "PyYAML", "python_telegram_bot", "scikit-learn", "zope.interface"):
        assert name in index, name
    for name in ("telegraf", "urllib2", "openai-helpers-xyz-invented"):
        assert name not in index, name
    assert index.rank("requests") is not None and index.rank("numpyx") is None


def test_every_block_round_trips_sorted_and_starts_with_its_first_name() -> None:
    index = shipped()
    total = 0
    previous = ""
    for number in range(index.blocks):
        names = sorted(index.block_names(number))
        assert names[0] > previous
        previous = names[-1]
        total += len(names)
    assert total == len(index)


def test_damaged_index_is_one_clear_error() -> None:
    with pytest.raises(IndexError_):
        PackageIndex(b"not an index").exists("requests")


def test_curated_import_names_all_name_distributions_of_the_index() -> None:
    index = shipped()
    for module, dists in curated().items():
        assert dists and all(dist in index for dist in dists), module
    assert curated()["yaml"][0] == "PyYAML" and curated()["cv2"][0] == "opencv-python"


@pytest.mark.parametrize(
    ("module", "version", "kind", "detail"),
    [
        ("yaml", (3, 11), Kind.DISTRIBUTION, "PyYAML"),
        ("requests", (3, 11), Kind.DISTRIBUTION, "requests"),
        ("telegram", (3, 11), Kind.DISTRIBUTION, "python-telegram-bot"),
        ("tomllib", (3, 10), Kind.STDLIB_NEWER, "3.11"),
        ("annotationlib", (3, 13), Kind.STDLIB_NEWER, "3.14"),
        ("distutils", (3, 12), Kind.STDLIB_REMOVED, "3.12"),
        ("telnetlib", (3, 13), Kind.STDLIB_REMOVED, "3.13"),
        ("numpyx", (3, 11), Kind.OBSCURE, "numpyx"),
        ("telegraf", (3, 11), Kind.UNKNOWN, None),
        ("ConfigParser", (3, 11), Kind.UNKNOWN, None),  # case matters: not the backport
    ],
)
def test_origin_of_missing_modules(
    module: str, version: tuple[int, int], kind: Kind, detail: str | None
) -> None:
    origin = origin_of(module, version)
    assert origin.kind is kind
    if kind in (Kind.STDLIB_NEWER, Kind.STDLIB_REMOVED):
        assert origin.python == detail
    elif detail is not None:
        assert origin.distributions[0] == detail


def test_stdlib_tables_per_version() -> None:
    assert "tomllib" not in stdlib_names((3, 10)) and "tomllib" in stdlib_names((3, 11))
    assert "imp" in stdlib_names((3, 11)) and "imp" not in stdlib_names((3, 12))
    assert "cgi" in stdlib_names((3, 12)) and "cgi" not in stdlib_names((3, 13))
    assert "compression" in stdlib_names((3, 14)) and "compression" not in stdlib_names((3, 13))
    if sys.version_info[:2] in ((3, 10), (3, 11), (3, 12), (3, 13), (3, 14)):
        running = stdlib_names(sys.version_info[:2])
        public = {n for n in sys.stdlib_module_names if not n.startswith("_")}
        assert public == {n for n in running if not n.startswith("_")}


@pytest.mark.parametrize(
    ("name", "intended"),
    [
        ("reqeusts", "requests"),
        ("python-requests", "requests"),
        ("requests-api", "requests"),
        ("python-telegrambot", "python-telegram-bot"),
        ("pandas2", "pandas"),
        ("matplotlb", "matplotlib"),
        ("requests", None),
        ("flask-cors", None),
        ("telegraf", None),
    ],
)
def test_near_misses(name: str, intended: str | None) -> None:
    miss = near_miss(name)
    assert (miss.intended if miss else None) == intended


def test_edit_distance_counts_transpositions_and_stops_early() -> None:
    assert edit_distance("reqeusts", "requests", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2
    assert normalise("Foo__Bar.baz") == "foo-bar-baz"


def _codes(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.code, f.name) for f in findings]


def test_invented_module_is_hal001_with_the_index_date(check: Callable[..., list[Finding]]) -> None:
    (finding,) = check("import telegraf\n")
    assert finding.code == "HAL001" and finding.severity is Severity.ERROR
    assert (
        finding.label == f"no distribution on PyPI provides `telegraf` (index of {shipped().date})"
    )


def test_little_used_same_name_stays_hal001_with_a_note(
    check: Callable[..., list[Finding]],
) -> None:
    (finding,) = check("import numpyx\n")
    assert finding.code == "HAL001"
    assert any("15,000 most downloaded" in note for note in finding.notes)


def test_real_module_not_installed_is_hal003_naming_the_distribution(
    check: Callable[..., list[Finding]],
) -> None:
    # skimage: scikit-image, not installed with the test extra
    (finding,) = check("import skimage.io\n")
    assert (finding.code, finding.severity, finding.package) == (
        "HAL003",
        Severity.WARNING,
        "scikit-image",
    )
    assert "`pip install scikit-image`" in finding.message


def test_stdlib_module_of_a_newer_python_is_hal003(check: Callable[..., list[Finding]]) -> None:
    (finding,) = check("import annotationlib\n")
    assert finding.code == "HAL003" and finding.label == "standard library from 3.14"


def test_version_shows_the_snapshot_date_and_import_loads_no_index() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "halluc_check", "--version"], capture_output=True, text=True
    )
    assert f"PyPI index of {shipped().date}" in out.stdout
    probe = (
        "import sys, halluc_check.cli, halluc_check.rules;"
        "from halluc_check.knowledge import package_index as p;"
        "print(p.shipped.cache_info().currsize)"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert loaded.stdout.strip() == "0", loaded.stderr


def test_a_clean_check_never_opens_the_index(tmp_path: Path) -> None:
    (tmp_path / "clean.py").write_text("import json\nprint(json.dumps({}))\n")
    (tmp_path / "invented.py").write_text("import telegraf\n")
    probe = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: event == 'open' and 'pypi_index' in str(args[0])"
        " and opened.append(args[0]))\n"
        "from halluc_check.cli.command import main\n"
        "main(sys.argv[1:])\n"
        "print('opened', len(opened), 'urllib.request' in sys.modules)\n"
    )

    def opened(name: str) -> str:
        command = [sys.executable, "-c", probe, name, "-j", "1", "--no-cache", "--python"]
        run = subprocess.run(
            [*command, sys.executable], capture_output=True, text=True, cwd=tmp_path, timeout=120
        )
        return run.stdout.splitlines()[-1]

    assert opened("clean.py") == "opened 0 False"
    assert opened("invented.py") == "opened 1 False"  # read once; no network module either
