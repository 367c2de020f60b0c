"""The Unicode font embedded in every PDF the platform makes: DejaVu Sans (regular and
bold, licence in LICENSE beside it). fpdf2's built-in Helvetica knows only Latin-1, and
printed "Şükrü Łukasz Yılmaz-Nguyễn" as question marks; DejaVu Sans covers Latin,
Greek, Cyrillic and Vietnamese. fpdf2 embeds only the glyphs a document uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT_DIR = Path(__file__).resolve().parent
FAMILY = "DejaVuSans"


def new_pdf(**kwargs: Any) -> Any:
    """An fpdf2 FPDF with the DejaVu Sans family registered and selected (10 pt)."""
    from fpdf import FPDF

    out = FPDF(**kwargs)
    out.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
    out.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    out.set_font(FAMILY, size=10)
    return out
