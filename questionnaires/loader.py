"""Finding, reading and checking questionnaire files.

``load`` gives a checked :class:`~questionnaires.model.Questionnaire` or raises
:class:`~questionnaires.problems.QuestionnaireError` listing every problem;
``check`` returns the problems instead. Both take a bundled id or a path to a
``.yaml``/``.yml`` file or an XLSForm ``.xlsx``.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .model import Questionnaire
from .problems import Problem, QuestionnaireError, format_path
from .schema import Finding, Location, build, check_data

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIXES = (".xlsx",)
#: Largest number of YAML nodes (aliases counted each time they are used) walked for line numbers.
MAX_NODES = 500_000

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def available() -> list[str]:
    """The ids of the bundled questionnaires, sorted."""
    return sorted(path.stem for path in BUNDLED_DIR.glob("*.yaml"))


def resolve(id_or_path: str | os.PathLike[str]) -> Path:
    """Turn a bundled id or a file path into the path of a questionnaire file.

    Raises
    ------
    QuestionnaireError
        When it is neither an existing questionnaire file nor a bundled id.
    """
    name = os.fspath(id_or_path)
    path = Path(name)
    if path.suffix.lower() in YAML_SUFFIXES + XLSX_SUFFIXES:
        if path.is_file():
            return path
        raise QuestionnaireError([Problem(name, "", "no such file")])
    bundled = BUNDLED_DIR / f"{name}.yaml"
    if name in available():
        return bundled
    if path.is_file():
        message = "not a questionnaire file: use .yaml, .yml or .xlsx"
    else:
        message = ("neither a questionnaire file nor a bundled questionnaire (bundled: "
                   f"{', '.join(available()) or 'none'})")
    raise QuestionnaireError([Problem(name, "", message)])


def load(id_or_path: str | os.PathLike[str]) -> Questionnaire:
    """Load and check a questionnaire.

    Parameters
    ----------
    id_or_path
        A bundled id (see :func:`available`) or a path to a ``.yaml``, ``.yml``
        or XLSForm ``.xlsx`` file.

    Returns
    -------
    Questionnaire
        The immutable, checked questionnaire. Files are cached by path,
        modification time and size, so loading the same file again is cheap.

    Raises
    ------
    QuestionnaireError
        With ``.problems`` listing every problem found.
    """
    path = resolve(id_or_path)
    stat = path.stat()
    return _load_cached(str(path.resolve()), str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _load_cached(path: str, display: str, mtime_ns: int, size: int) -> Questionnaire:
    """Read one version of a file (the key includes its mtime and size)."""
    problems, questionnaire = read(Path(path), display=display)
    if problems or questionnaire is None:
        raise QuestionnaireError(problems)
    return questionnaire


def check(id_or_path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in a questionnaire file (empty when it is fine).

    Takes the same arguments as :func:`load`; never raises for a bad file.
    """
    try:
        path = resolve(id_or_path)
    except QuestionnaireError as error:
        return list(error.problems)
    problems, _ = read(path)
    return problems


def loads(text: str, *, file: str = "<string>") -> Questionnaire:
    """Load a questionnaire from YAML text, e.g. a published copy kept in a database.

    Audio files are not looked for, since the text has no folder. The result is
    cached by text.

    Raises
    ------
    QuestionnaireError
        With ``.problems`` listing every problem found.
    """
    return _loads_cached(text, file)


@functools.lru_cache(maxsize=32)
def _loads_cached(text: str, file: str) -> Questionnaire:
    """Parse one text once (the model is immutable, so sharing it is safe)."""
    problems, questionnaire = _from_yaml(text, text.encode("utf-8"), file=file, path=None)
    if problems or questionnaire is None:
        raise QuestionnaireError(problems)
    return questionnaire


def read(path: Path, *, display: str | None = None) -> tuple[list[Problem], Questionnaire | None]:
    """Read and check one file; return its problems and, when there are none, the model."""
    file = display or str(path)
    try:
        source = path.read_bytes()
    except OSError as error:
        return [Problem(file, "", f"cannot read the file: {error.strerror}")], None
    if path.suffix.lower() in XLSX_SUFFIXES:
        from .xlsform import read_xlsform

        return read_xlsform(path, source, file=file)
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as error:
        return [Problem(file, "", f"the file is not UTF-8 text (byte {error.start})")], None
    return _from_yaml(text, source, file=file, path=path)


def _from_yaml(text: str, source: bytes, *, file: str,
               path: Path | None) -> tuple[list[Problem], Questionnaire | None]:
    data, lines, problems = parse_yaml(text, file=file)
    if problems:
        return problems, None
    findings = check_data(data, base_dir=path.parent if path is not None else None)
    if findings:
        return to_problems(findings, file=file, lines=lines), None
    questionnaire = build(data, source_sha256=hashlib.sha256(source).hexdigest(),
                          path=path.resolve() if path is not None else None)
    return [], questionnaire


def to_problems(findings: Iterable[Finding], *, file: str,
                lines: dict[Location, int]) -> list[Problem]:
    """Tie findings to a file, with the line of the nearest known place."""
    problems = []
    for finding in findings:
        path = finding.path
        line = None
        for end in range(len(path), -1, -1):
            line = lines.get(path[:end])
            if line is not None:
                break
        problems.append(Problem(file, format_path(path), finding.message, line))
    problems.sort(key=lambda problem: problem.line or 0)
    return problems


def parse_yaml(text: str, *, file: str) -> tuple[Any, dict[Location, int], list[Problem]]:
    """Parse YAML; return the data, the line of every path, and syntax problems.

    Duplicate keys in a mapping (which YAML loaders silently resolve to the
    last one) are problems too.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Location, int] = {}
        problems = _walk_nodes(node, (), lines, file) if node is not None else []
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = "; ".join(part for part in (error.context, error.problem) if part)
        line = mark.line + 1 if mark else None
        return None, {}, [Problem(file, "", f"YAML syntax error{where}: {what}", line)]
    except yaml.YAMLError as error:
        return None, {}, [Problem(file, "", f"YAML syntax error: {error}")]
    finally:
        loader.dispose()
    return data, lines, problems


def _walk_nodes(root: yaml.Node, path: Location, lines: dict[Location, int],
                file: str) -> list[Problem]:
    """Record the line of every node and report duplicate keys."""
    problems: list[Problem] = []
    stack: list[tuple[yaml.Node, Location, tuple[int, ...]]] = [(root, path, ())]
    visited = 0
    while stack:
        node, where, ancestors = stack.pop()
        visited += 1
        if visited > MAX_NODES:
            problems.append(Problem(file, "", f"the document has more than {MAX_NODES} "
                                              "nodes (with aliases expanded)"))
            break
        if id(node) in ancestors:
            problems.append(Problem(file, format_path(where), "an alias refers to itself",
                                    node.start_mark.line + 1))
            continue
        lines.setdefault(where, node.start_mark.line + 1)
        inner = ancestors + (id(node),)
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                line = key_node.start_mark.line + 1
                if key in first and key != "<<":
                    problems.append(Problem(file, format_path(where + (key,)),
                                            f"duplicate key {key!r} (first at line "
                                            f"{first[key]})", line))
                first.setdefault(key, line)
                lines.setdefault(where + (key,), line)
                stack.append((value_node, where + (key,), inner))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, where + (index,), inner))
    problems.sort(key=lambda problem: problem.line or 0)
    return problems
