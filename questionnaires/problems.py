"""Problems found in a questionnaire file, and the error that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a questionnaire file.

    ``file`` names the file, ``path`` the place inside it in the notation
    ``pages[2].questions[0].show_if`` (empty for the document as a whole) and
    ``message`` says what is wrong. ``line`` is the 1-based line in a YAML file
    (the row for an XLSForm sheet) when it is known.
    """

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        if self.path:
            return f"{self.file}: {self.path}: {self.message}"
        return f"{self.file}: {self.message}"


class QuestionnaireError(ValueError):
    """A questionnaire could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        if count == 1:
            return str(self.problems[0])
        lines = [f"{count} problems in the questionnaire:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)


def format_path(segments: Iterable[str | int]) -> str:
    """Write path segments as ``pages[2].questions[0].show_if``."""
    text = ""
    for segment in segments:
        if isinstance(segment, int):
            text += f"[{segment}]"
        else:
            text += f".{segment}" if text else str(segment)
    return text
