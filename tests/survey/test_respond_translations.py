"""The interface catalogs: every msgid translated in all eight languages, Danish as the glossary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "survey" / "translations"
LANGUAGES = ("da", "en", "ar", "fa", "so", "tr", "ur", "bs")

GLOSSARY = {
    "Next": "Næste",
    "Back": "Tilbage",
    "Submit": "Indsend",
    "Page %(current)s of %(total)s": "Side %(current)s af %(total)s",
    "This question must be answered.": "Dette spørgsmål skal besvares.",
    "Optional": "Valgfrit",
    "Choose language": "Vælg sprog",
    "Thank you for your answers!": "Tak for din besvarelse!",
    "You are offline – your answers are kept on this device and sent later.": (
        "Du er offline – svarene gemmes på enheden og sendes senere."
    ),
    "An error occurred. Please try again.": "Der opstod en fejl. Prøv igen.",
    "Withdraw consent": "Træk samtykke tilbage",
    "Interpreter used": "Tolk anvendt",
    "Interview aborted": "Interview afbrudt",
    "Number of responses (n)": "Antal svar (n)",
}


def catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def extracted_msgids(tmp_path: Path) -> set[str]:
    """The msgids in the code and templates now (pybabel extract with babel.cfg)."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_is_translated(language: str, tmp_path: Path) -> None:
    messages = {message.id: message.string for message in catalog(language) if message.id}
    missing = sorted(extracted_msgids(tmp_path) - set(messages))
    assert not missing, f"{language}: not in the catalog: {missing}"
    empty = sorted(msgid for msgid, string in messages.items() if not string)
    assert not empty, f"{language}: untranslated: {empty}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_kept(language: str) -> None:
    for message in catalog(language):
        if message.id and "%(" in message.id:
            for name in ("current", "total", "min", "max", "answer", "seconds", "status", "id"):
                token = f"%({name})s"
                assert (token in message.id) == (token in message.string), (language, message.id)


def test_danish_follows_the_glossary() -> None:
    danish = catalog("da")
    for msgid, expected in GLOSSARY.items():
        assert danish.get(msgid) is not None, msgid
        assert danish.get(msgid).string == expected
