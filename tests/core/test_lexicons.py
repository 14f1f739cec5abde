"""Every lexicon (word list kept as a data file beside the code, ``safereply.core.phi.lexicon``) is
in the one format, is read by the code, and ships in an installed package (issue 13)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from safereply.core.lint.rules import echo, learned
from safereply.core.phi import health, names
from safereply.core.phi.lexicon import lexicon
from safereply.core.triage import language

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "safereply"
FILES = sorted((PACKAGE / "core").rglob("data/*.txt"))
LANGUAGES = ("en", "es", "fr", "pt", "it", "de", "tl", "pl", "ht", "so")
#: Every lexicon file and the package that reads it.
EXPECTED = {
    *{("phi", f"health_{kind}") for kind in health.HEALTH_KINDS},
    ("phi", "health_soft"),
    ("phi", "names"),
    ("phi", "ambiguous_names"),
    ("phi", "not_names"),
    ("phi", "interjections"),
    *{("triage", f"language_{code}") for code in LANGUAGES},
    ("lint.rules", "echo_not_disclosure"),
    ("lint.rules", "learned_openers"),
}


def _package(path: Path) -> str:
    """The package that reads a lexicon file: ``core/lint/rules/data/x.txt`` ->
    ``safereply.core.lint.rules``."""
    return "safereply." + ".".join(path.parent.parent.relative_to(PACKAGE).parts)


def _short(path: Path) -> str:
    return _package(path).removeprefix("safereply.core.")


def _body(path: Path) -> list[str]:
    """The file's entries: every line after the leading ``#`` header."""
    lines = path.read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    return lines[start:]


def test_the_lexicon_files_are_the_ones_the_code_reads():
    assert {(_short(p), p.stem) for p in FILES} == EXPECTED


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{_short(p)}/{p.name}")
def test_a_lexicon_file_has_a_header_and_one_clean_entry_a_line(path: Path):
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # UTF-8, or this raises
    assert text.endswith("\n") and "\r" not in text and "\t" not in text
    lines = text.splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 10, "a header says what the list is for"
    entries = _body(path)
    assert entries, "no entries"
    for entry in entries:
        assert entry, "a blank line among the entries"
        assert not entry.startswith("#"), "comments belong in the header"
        assert entry == entry.strip() and "  " not in entry, f"stray spaces: {entry!r}"
        assert entry == entry.lower(), f"not lower case: {entry!r}"
    duplicates = sorted({e for e in entries if entries.count(e) > 1})
    assert not duplicates, f"listed twice: {duplicates}"
    assert lexicon(_package(path), path.stem) == tuple(entries)


def test_health_terms_are_normalised_as_the_matcher_reads_them():
    """A term is found by its word tokens: each must have some, and no character the tokenizer
    drops other than a hyphen, a space, a period or an apostrophe between words."""
    for kind in (*health.HEALTH_KINDS, "soft"):
        for term in lexicon("safereply.core.phi", f"health_{kind}"):
            key = health._key(term)
            assert key, term
            assert set(term) - set(key) <= set("-./' "), term


def test_soft_terms_are_spelt_as_in_a_kind_file():
    """``SOFT_TERMS`` is compared with the spelling a kind file gives a term, so a soft term
    no kind lists is inert (two such predate the data files and are kept as they were)."""
    listed = {t for kind in health.HEALTH_KINDS for t in health.HEALTH_LEXICON[kind]}
    assert set(lexicon("safereply.core.phi", "health_soft")) - listed == {"vaccines", "flu shots"}


def test_language_words_are_folded_single_words():
    for code in LANGUAGES:
        for word in lexicon("safereply.core.triage", f"language_{code}"):
            assert language.fold(word) == word and language._WORD.fullmatch(word), (code, word)


def test_names_are_single_lower_case_words():
    for name in ("names", "ambiguous_names", "not_names", "interjections"):
        for word in lexicon("safereply.core.phi", name):
            assert " " not in word, (name, word)


def test_the_modules_read_the_files():
    assert health.HEALTH_LEXICON["condition"][:2] == ("diabetes", "diabetic")
    assert "knee" in health.SOFT_TERMS and "payment plan" in health.SOFT_TERMS
    assert health.is_health_term("Root Canals") and not health.is_health_term("parking")
    assert "reviewer" in names.NOT_NAMES and "omg" in names._INTERJECTIONS
    assert "appointment" in echo._NOT_DISCLOSURE and "gracias" in learned._OPENERS
    assert language.detect_language("Gracias, la doctora fue muy amable") == "es"
    assert language.detect_language("Merci beaucoup, le docteur est très gentil") == "other"


def _packaged(path: Path, patterns: list[str]) -> bool:
    return any(path in set(PACKAGE.glob(pattern)) for pattern in patterns)


def test_pyproject_package_data_ships_every_lexicon():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["safereply"]
    missing = [str(p.relative_to(PACKAGE)) for p in FILES if not _packaged(p, patterns)]
    assert not missing


_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from safereply.core.lint.rules import echo, learned
from safereply.core.phi import health, names
from safereply.core.triage import language
from safereply.core.lint.rules import echo, learned
assert health.__file__.startswith(sys.argv[1]), health.__file__
print(json.dumps({
    "health": {k: list(v) for k, v in health.HEALTH_LEXICON.items()},
    "soft": sorted(health.SOFT_TERMS),
    "names": [sorted(s) for s in names.first_names()],
    "not_names": sorted(names.NOT_NAMES),
    "lint": [sorted(echo._NOT_DISCLOSURE), sorted(learned._OPENERS)],
    "languages": [sorted(language._ENGLISH), sorted(language._SPANISH),
                  {k: sorted(v) for k, v in language._OTHER.items()}],
}))
"""


def test_an_installed_package_loads_the_lexicons(tmp_path: Path):
    """Pack what a wheel holds (the modules and the package-data files pyproject.toml selects)
    into a zip and import the core from it in a fresh interpreter without site-packages: the
    lists come through ``importlib.resources`` and equal the checkout's."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["safereply"]
    shipped = set(PACKAGE.rglob("*.py"))
    for pattern in patterns:
        shipped |= set(PACKAGE.glob(pattern))
    archive = tmp_path / "safereply.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(shipped):
            if "__pycache__" not in path.parts:
                zf.write(path, Path("safereply") / path.relative_to(PACKAGE))
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _PROBE, str(archive)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["health"] == {k: list(v) for k, v in health.HEALTH_LEXICON.items()}
    assert got["soft"] == sorted(health.SOFT_TERMS)
    assert got["names"] == [sorted(s) for s in names.first_names()]
    assert got["not_names"] == sorted(names.NOT_NAMES)
    assert got["lint"] == [sorted(echo._NOT_DISCLOSURE), sorted(learned._OPENERS)]
    assert got["languages"][0] == sorted(language._ENGLISH)
    assert got["languages"][2] == {k: sorted(v) for k, v in language._OTHER.items()}
