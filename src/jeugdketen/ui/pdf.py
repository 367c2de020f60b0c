"""The PDF kit: a document as plain data (a title and sections of paragraphs or tables)
and `pdf()`, which prints it in the embedded Unicode font (jeugdketen.fonts). The letters
and reports themselves are built by their apps (referral_index.documents,
plans.documents)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # a table, first row the header
    widths: tuple[int, ...] = ()  # the table's relative column widths (none: equal)


@dataclass
class Document:
    title: str
    addressee: list[str]
    sections: list[Section]
    filename: str
    sender: list[str] = field(default_factory=list)  # a letter's sender block
    dated: str = ""  # a letter's date line
    notes: list[str] = field(default_factory=list)  # for whoever prints it; never printed


def pdf(document: Document) -> bytes:
    """Render a document as PDF (fpdf2) in the embedded Unicode font DejaVu Sans, so every
    name prints as it is written (jeugdketen.fonts)."""
    from jeugdketen.fonts import FAMILY, new_pdf

    out = new_pdf(format="A4")
    out.set_title(document.title)
    out.set_author("Jeugdketen")
    out.set_margins(20, 20, 20)
    out.add_page()
    out.set_font(FAMILY, size=10)
    if document.sender:  # a letter: the sender block at the top right
        for i, line in enumerate(document.sender):
            out.set_font(FAMILY, "B" if i == 0 else "", size=10)
            out.cell(0, 5, str(line), align="R", new_x="LMARGIN", new_y="NEXT")
        out.ln(8)
        out.set_font(FAMILY, size=10)
    for line in document.addressee:
        out.multi_cell(100, 5, str(line), new_x="LMARGIN", new_y="NEXT")
    out.ln(6)
    if document.dated:
        out.cell(0, 5, document.dated, new_x="LMARGIN", new_y="NEXT")
        out.ln(4)
    out.set_font(FAMILY, "B", 16)
    out.multi_cell(0, 8, document.title, new_x="LMARGIN", new_y="NEXT")
    for section in document.sections:
        out.ln(3)
        out.set_font(FAMILY, "B", 12)
        out.multi_cell(0, 7, section.heading, new_x="LMARGIN", new_y="NEXT")
        out.set_font(FAMILY, size=10)
        for paragraph in section.paragraphs:
            out.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
            out.ln(2)
        if section.rows:
            if section.widths:  # a wide table: a smaller size keeps words whole
                out.set_font(FAMILY, size=9)
            with out.table(text_align="LEFT", line_height=5,
                           col_widths=section.widths or None) as table:
                for row in section.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(str(value))
    return bytes(out.output())
