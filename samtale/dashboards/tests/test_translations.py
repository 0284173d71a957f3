"""The Danish catalogue (locale/da/LC_MESSAGES/django.po) is complete and compiled.

Danish is the first language of Samtale: every string in the interface must have a Danish
translation, none may be left fuzzy, and the committed django.mo must be exactly what msgfmt
makes of the committed django.po. After adding or changing a string, run `make messages`,
translate the new entries, and commit both files.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # singular entries use index 0
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str | None, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


def parse_po(text: str) -> list[Entry]:
    """The entries of a PO file, header included (msgid ""); obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # the field that a continuation line ("...") extends

    def entry_for(lineno: int) -> Entry:
        nonlocal current
        if current is None or current.msgstr:  # the previous entry is complete
            current = Entry(line=lineno)
            entries.append(current)
        return current

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target = None, None
        elif line.startswith("#~"):
            continue
        elif line.startswith("#"):
            entry = entry_for(lineno)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            target = None
        elif line.startswith('"'):
            assert current is not None and target is not None, f"stray string on line {lineno} of {PO.name}"
            _append(current, target, ast.literal_eval(line))
        else:
            match = _KEYWORD.match(line)
            assert match, f"cannot read line {lineno} of {PO.name}: {raw!r}"
            keyword, index, value = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if keyword.startswith("msgstr"):
                assert current is not None, f"msgstr without msgid on line {lineno} of {PO.name}"
                target = ("msgstr", int(index) if index is not None else 0)
                current.msgstr[target[1]] = value
            else:
                entry = entry_for(lineno)
                target = (keyword, 0)
                setattr(entry, keyword, value)
    return entries


def _append(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += value
    else:
        setattr(entry, name, (getattr(entry, name) or "") + value)


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO.exists(), f"{PO} is missing: run `make messages`"
    return parse_po(PO.read_text(encoding="utf-8"))


def _header(entries: list[Entry]) -> Entry:
    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(headers) == 1, 'the catalogue has no header entry (msgid "")'
    return headers[0]


def _messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid]


def test_the_parser_reads_every_entry(entries: list[Entry]) -> None:
    text = PO.read_text(encoding="utf-8")
    live = "\n".join(line for line in text.splitlines() if not line.startswith("#~"))
    assert len(entries) == len(re.findall(r"^msgid ", live, flags=re.MULTILINE))
    assert len(_messages(entries)) > 100


def test_header_is_danish_with_two_plural_forms(entries: list[Entry]) -> None:
    header = _header(entries).msgstr[0]
    assert "Language: da\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header
    assert "charset=UTF-8" in header


def test_every_entry_is_translated(entries: list[Entry]) -> None:
    untranslated = []
    for entry in _messages(entries):
        forms = [0, 1] if entry.msgid_plural is not None else [0]
        if sorted(entry.msgstr) != forms or not all(entry.msgstr[i].strip() for i in forms):
            untranslated.append(str(entry))
    assert not untranslated, (
        f"{len(untranslated)} entries have no Danish translation (fill every msgstr, both plural forms):\n"
        + "\n".join(untranslated)
    )


def test_no_entry_is_fuzzy(entries: list[Entry]) -> None:
    fuzzy = [str(e) if e.msgid else "the header" for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries are not used by Django; check them and remove the flag:\n" + "\n".join(fuzzy)


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_translations_keep_the_placeholders(entries: list[Entry]) -> None:
    wrong = []
    for entry in _messages(entries):
        expected = set(_PLACEHOLDER.findall(entry.msgid or "")) | set(_PLACEHOLDER.findall(entry.msgid_plural or ""))
        for text in entry.msgstr.values():
            if text and set(_PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{entry} -> {text!r}")
    assert not wrong, "these translations lose or add a placeholder:\n" + "\n".join(wrong)


def test_compiled_catalogue_matches_the_po(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    assert MO.exists(), f"{MO} is missing: run `make messages`"
    compiled = tmp_path / "django.mo"
    # The options of Django's compilemessages, plus -c: the header and formats must check.
    result = subprocess.run(  # noqa: S603 (fixed arguments: gettext tools on our own files)
        [msgfmt, "--check-format", "-c", "-o", str(compiled), str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt rejects {PO.name}:\n{result.stderr}"
    assert compiled.read_bytes() == MO.read_bytes(), (
        f"{MO.relative_to(ROOT)} is not compiled from the current {PO.name}: run `make messages` and commit both"
    )


@pytest.mark.parametrize(
    ("english", "danish"),
    [
        ("My conversations", "Mine samtaler"),
        ("Sign in", "Log ind"),
        ("Sign out", "Log ud"),
        ("The organisation", "Organisationen"),
        ("My team", "Mit team"),
        ("Personnel leader", "Personaleleder"),
        ("Union representative", "Tillidsrepræsentant"),
    ],
)
def test_key_strings_are_danish(english: str, danish: str) -> None:
    with translation.override("da"):
        assert gettext(english) == danish
    with translation.override("en"):
        assert gettext(english) == english


def test_plural_forms_are_danish() -> None:
    with translation.override("da"):
        assert ngettext("%(people)s person", "%(people)s people", 1) % {"people": "1"} == "1 person"
        assert ngettext("%(people)s person", "%(people)s people", 2) % {"people": "2"} == "2 personer"
        # The count chooses the form; the number is shown as Danes write it.
        assert ngettext("%(people)s person", "%(people)s people", 20000) % {"people": "20.000"} == "20.000 personer"


def test_sign_in_page_is_danish(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/login/", headers={"accept-language": "da"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="da"' in page
    assert "Log ind på Samtale" in page


# `make messages` extracts with these options (see the Makefile).
MAKEMESSAGES = [
    *("makemessages", "-l", "da", "--no-obsolete", "--add-location", "file"),
    *(arg for ignored in (".venv", "node_modules", "staticfiles", "bench", "*/tests/*") for arg in ("-i", ignored)),
]
_NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "staticfiles",
    "bench",
    "locale",
    "__pycache__",
    "*.sqlite3*",
    ".*_cache",
    "test-results",
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> list[Entry]:
    """The strings of the code, extracted as `make messages` does, from a copy of the project."""
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        pytest.skip("xgettext (GNU gettext) is not installed")
    copy = tmp_path_factory.mktemp("extract") / "project"
    shutil.copytree(ROOT, copy, ignore=_NOT_COPIED, symlinks=True)
    (copy / "locale").mkdir()
    result = subprocess.run(  # noqa: S603 (fixed arguments: makemessages on a copy of the project)
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SAMTALE_DEBUG": "1"},
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    return parse_po((copy / PO.relative_to(ROOT)).read_text(encoding="utf-8"))


def test_every_string_in_the_code_is_in_the_catalogue(entries: list[Entry], extracted: list[Entry]) -> None:
    known = {e.key for e in entries}
    missing = [repr(e.msgid) for e in _messages(extracted) if e.key not in known]
    assert not missing, (
        f"{len(missing)} strings in the code are not in {PO.name}: run `make messages` and translate them:\n"
        + "\n".join(missing)
    )


# English words that mean different things in different places, and so need different Danish: the
# plan's "By" week 8 is a deadline ("Senest"), the import's "By" who uploaded ("Uploadet af"); the
# employee's PDF is a "Copy" ("Kopi"), the concept's button says "Copy" ("Kopiér"). Without a
# context they share one translation, and one of the places says the wrong thing.
AMBIGUOUS = {
    "By": "a deadline, or who did something",
    "Copy": "a copy (noun), or to copy (verb)",
    "How": "how a plan was signed, or the source of a change",
    "When": "a period of time, or a point in time",
}


def test_words_with_two_meanings_always_say_which_they_mean(extracted: list[Entry]) -> None:
    bare = sorted(
        {
            f"{e.msgid!r} ({AMBIGUOUS[e.msgid]})"
            for e in _messages(extracted)
            if e.msgid in AMBIGUOUS and e.msgctxt is None
        }
    )
    assert not bare, (
        "these words mean different things in different places; say which with a context "
        '(pgettext, {% translate "By" context "deadline" %}):\n' + "\n".join(bare)
    )


def test_a_message_read_in_two_ways_has_its_own_danish_in_each(entries: list[Entry]) -> None:
    """Contexts are there to translate each meaning for itself: two contexts of the same English
    with the same Danish are one meaning split by mistake, or a translation copied without
    reading it. (The use without a context is the word's everyday meaning and may share its
    Danish with one of them.)"""
    by_msgid: dict[tuple[str | None, str | None], dict[str, str]] = {}
    for entry in _messages(entries):
        if entry.msgctxt is not None:
            by_msgid.setdefault((entry.msgid, entry.msgid_plural), {})[entry.msgctxt] = entry.msgstr.get(0, "")
    same = [
        f"{msgid!r}: {sorted(contexts)} are all {next(iter(contexts.values()))!r}"
        for (msgid, _plural), contexts in by_msgid.items()
        if len(contexts) > 1 and len(set(contexts.values())) == 1
    ]
    assert not same, "these messages have contexts but one Danish for all:\n" + "\n".join(same)


@pytest.mark.parametrize(
    ("context", "english", "danish"),
    [
        ("deadline", "By", "Senest"),
        ("uploaded by", "By", "Uploadet af"),
        ("noun, a copy of a document", "Copy", "Kopi"),
        ("verb, make a copy", "Copy", "Kopiér"),
        ("period of an activity", "When", "Hvornår"),
        ("point in time", "When", "Tidspunkt"),
        ("how it was signed", "How", "Metode"),
        ("source of a change", "How", "Kilde"),
        ("position in a list", "Place", "Placering"),
        ("development plan", "Focus area", "Indsatsområde"),
    ],
)
def test_each_meaning_has_its_danish(context: str, english: str, danish: str) -> None:
    with translation.override("da"):
        assert pgettext(context, english) == danish
    with translation.override("en"):
        assert pgettext(context, english) == english


@pytest.mark.parametrize(
    ("english", "danish"),
    [
        ("Place", "Sted"),  # where a meeting is; a position in a list has its own context
        ("Not held", "Ikke afholdt"),
        ("not held", "ikke afholdt"),
        ("Held on", "Afholdt den"),
    ],
)
def test_the_everyday_meaning_has_its_danish(english: str, danish: str) -> None:
    """A conversation is "afholdt" on every page and in every message, never "holdt" beside it."""
    with translation.override("da"):
        assert gettext(english) == danish
