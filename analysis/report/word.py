"""``report.docx``: the report as a Word document the secretariat can edit.

The same text as the HTML report; tables are real Word tables, charts are
PNG images (without the title and caption, which are Word text).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

__all__ = ["write_docx"]

_RED = RGBColor(0xB2, 0x18, 0x2B)
_GREY = RGBColor(0x55, 0x55, 0x55)


def _small(paragraph, size: float = 8.5, colour=_GREY) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.color.rgb = colour


def _table(document, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
            run.font.size = Pt(8.5)
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = str(value)
            paragraph = cell.paragraphs[0]
            if index:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(8.5)


def write_docx(path: Path, *, title: str, subtitle: str, synthetic_text: str | None,
               summary_heading: str, summary: Sequence[str], figures: Sequence[dict],
               figure_word: str, question_word: str, method_heading: str,
               method: Sequence[str], notes: dict, generated: str) -> Path:
    """Write the report as ``report.docx``.

    Parameters
    ----------
    path : Path
        File to write.
    title, subtitle : str
        The report's heading.
    synthetic_text : str or None
        The synthetic-data warning, when the data are synthetic.
    summary_heading : str
        Heading of the main results.
    summary : sequence of str
        Summary sentences; a sentence with ``is_caveat`` is set as a caveat.
    figures : sequence of dict
        Per figure: ``title``, ``question``, ``base``, ``note``, ``caveat``,
        ``png`` (bytes), ``columns``, ``rows``, ``has_suppressed``,
        ``has_small_base``.
    figure_word, question_word : str
        "Figur"/"Figure" and "Spørgsmål"/"Question".
    method_heading : str
        Heading of the methods section.
    method : sequence of str
        Its paragraphs.
    notes : dict
        ``suppressed`` and ``small_base``: the notes under tables.
    generated : str
        The provenance line.

    Returns
    -------
    Path
    """
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(title, level=0)
    _small(document.add_paragraph(subtitle), 10)
    if synthetic_text:
        paragraph = document.add_paragraph(synthetic_text)
        for run in paragraph.runs:
            run.font.bold = True
            run.font.color.rgb = _RED
    document.add_heading(summary_heading, level=1)
    for sentence in summary:
        paragraph = document.add_paragraph(str(sentence))
        if getattr(sentence, "is_caveat", False):
            for run in paragraph.runs:
                run.font.italic = True
    for number, figure in enumerate(figures, start=1):
        document.add_page_break()
        document.add_heading(f"{figure_word} {number}. {figure['title']}", level=2)
        document.add_picture(io.BytesIO(figure["png"]), width=Cm(16.5))
        caption = document.add_paragraph()
        caption.add_run(f"{question_word}: ").bold = True
        caption.add_run(figure["question"])
        caption.add_run(f"\n{figure['base']}. {figure['note']}")
        _small(caption)
        if figure.get("caveat"):
            document.add_paragraph(figure["caveat"]).runs[0].font.italic = True
        _table(document, figure["columns"], figure["rows"])
        if figure.get("has_suppressed"):
            _small(document.add_paragraph(notes["suppressed"]), 8)
        if figure.get("has_small_base"):
            _small(document.add_paragraph(notes["small_base"]), 8)
    document.add_page_break()
    document.add_heading(method_heading, level=1)
    for paragraph in method:
        document.add_paragraph(paragraph)
    if synthetic_text:
        document.add_paragraph(synthetic_text).runs[0].font.color.rgb = _RED
    _small(document.add_paragraph(generated), 7.5)
    path = Path(path)
    document.save(str(path))
    return path
