"""The page of a one-stop-shop form: header, title, body lines, tables, signatures and QR code.

The forms of Circular 03/2025/TT-VPCP (Annex I) keep the shape of the Circular 01/2018/TT-VPCP
forms they replaced, which is the layout of Vietnamese administrative documents (Decree
30/2020/NĐ-CP, Annex I): the agency top left over a short rule, with the number and the dossier
code under it; the national name and motto top right over a short rule, with place and date in
italics under it; the title centred in bold capitals; the body; the signatures at the bottom right
(and the applicant's at the bottom left where both sign).

Pages are A4: Circular 01/2018 designed its forms for A5, but offices print on A4, and the control
sheet's table and long component lists need the width.
"""

from __future__ import annotations

import copy
import functools
import io
import logging
import threading
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import font_source_sans_pro
import segno
from fontTools import subset as ftsubset
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace, SubsetMap, TTFFont

logger = logging.getLogger(__name__)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FAMILY = "egovsans"
# Source Sans Pro covers every Vietnamese letter with every tone mark in all four styles (its
# Serif sibling lacks them in italics, and the italic is needed for the place-and-date line).
_FONT_FILES = {
    "": "SourceSansPro-Regular.ttf",
    "B": "SourceSansPro-Bold.ttf",
    "I": "SourceSansPro-It.ttf",
}
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BODY_SIZE = 12
LINE = 6.2  # mm per body line at BODY_SIZE
MARGIN_X = 20
MARGIN_TOP = 15
QR_SIZE = 26  # mm


class MissingGlyphError(ValueError):
    """A character of the form's text has no glyph in the embedded font."""


def font_path(style: str = "") -> Path:
    return Path(font_source_sans_pro.font_directory) / _FONT_FILES[style]


# What the forms print: Latin with every Vietnamese letter (Basic Latin, Latin-1, Extended-A and
# -B for ơ ư, Latin Extended Additional for the toned vowels), combining marks, punctuation,
# currency (₫), letterlike symbols (№), arrows, mathematical operators and geometric shapes.
_REPERTOIRE = (
    (0x0020, 0x024F),
    (0x0300, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x22FF),
    (0x25A0, 0x25FF),
)


def _in_repertoire(codepoint: int) -> bool:
    return any(low <= codepoint <= high for low, high in _REPERTOIRE)


@functools.cache
def _font_bytes(style: str) -> bytes:
    """The font file reduced once per process to what fpdf2 uses.

    fpdf2 sets precomposed glyphs one by one (no shaping), so the layout tables (GSUB, GPOS,
    GDEF, kern) and the hinting only make each document's subsetting slower; so do the scripts
    the forms never print (Greek, Cyrillic): the Latin repertoire stays whole (see _REPERTOIRE).
    """
    font = ttLib.TTFont(font_path(style), recalcTimestamp=False)
    for tag in ("GSUB", "GPOS", "GDEF", "BASE", "kern", "hdmx", "FFTM", "DSIG"):
        if tag in font:
            del font[tag]  # before subsetting, so they are never parsed
    options = ftsubset.Options()
    options.layout_features = []
    options.hinting = False
    options.glyph_names = True
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(unicodes=[c for c in font.getBestCmap() if _in_repertoire(c)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


_template_lock = threading.Lock()


@functools.cache
def _template_fonts() -> dict[str, TTFFont]:
    """Parse the fonts once per process (widths, cmap, metrics).

    fpdf2 subsets a font's fontTools object in place when it writes a document, so each document
    gets a copy of these parsed fonts with a fresh fontTools object over the cached bytes (see
    FormPDF.__init__); reading and parsing the files again would cost a lot per form.
    """
    with _template_lock:
        pdf = FPDF()
        return {
            FAMILY + style: TTFFont(pdf, io.BytesIO(_font_bytes(style)), FAMILY + style, style)
            for style in _FONT_FILES
        }


def warm_up() -> None:
    """Prepare and parse the fonts now (about a second) instead of in the first form's request."""
    _template_fonts()


def _document_font(template: TTFFont, key: str, *, index: int) -> TTFFont:
    """A per-document copy of a parsed font.

    Widths, cmap and metrics are shared read-only; what fpdf2 changes while writing (the subset
    map, the missing glyphs, and the fontTools object it subsets in place) is fresh.
    """
    font = copy.copy(template)
    font.i = index
    font.ttfont = ttLib.TTFont(
        io.BytesIO(_font_bytes(key[len(FAMILY) :].upper())),
        recalcTimestamp=False,
        # The glyphs are copied, not changed: recomputing their boxes would decompile and
        # recompile every outline of every document.
        recalcBBoxes=False,
        lazy=True,
    )
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    return font


def _nfc(text: object) -> str:
    # Vietnamese typed on some keyboards arrives decomposed (a + combining marks); the font's
    # precomposed glyphs are only found for the composed (NFC) form.
    return unicodedata.normalize("NFC", str(text))


def local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("the forms print aware datetimes only")
    return moment.astimezone(TZ)


def date_dmy(moment: datetime | None) -> str:
    """03/12/2025, or a dotted blank to fill in by hand."""
    return local(moment).strftime("%d/%m/%Y") if moment else "…/…/……"


def time_and_date(moment: datetime | None) -> str:
    """'08 giờ 30 phút, ngày 03/12/2025', the way the forms write a moment."""
    if moment is None:
        return "… giờ … phút, ngày …/…/……"
    m = local(moment)
    return f"{m:%H} giờ {m:%M} phút, ngày {m:%d/%m/%Y}"


def place_and_date(province: str, moment: datetime) -> str:
    """'Tây Ninh, ngày 03 tháng 12 năm 2025'.

    Decree 30/2020/NĐ-CP, Annex I: days below 10 and the months 1 and 2 take a leading zero.
    """
    m = local(moment)
    month = f"{m.month:02d}" if m.month < 3 else str(m.month)
    return f"{province}, ngày {m.day:02d} tháng {month} năm {m.year}"


def count(n: int) -> str:
    """Counts on the forms are written with two digits (01, 02 …)."""
    return f"{n:02d}" if n else "-"


class FormPDF(FPDF):
    """An A4 page set up with the embedded Vietnamese font and the form's building blocks."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for key, template in _template_fonts().items():
            self.fonts[key] = _document_font(template, key, index=len(self.fonts) + 1)
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(True, margin=15)
        self.set_title(_nfc(title))
        self.set_author("egov")
        self.set_creator("egov")
        self.set_lang("vi-VN")
        self.add_page()
        self.set_font(FAMILY, "", BODY_SIZE)

    # Header -------------------------------------------------------------------------------

    def header_block(
        self,
        *,
        parent_agency: str,
        agency: str,
        number_line: str,
        code_line: str,
        place_date: str,
    ) -> None:
        """The two columns every form opens with."""
        left_w = 78
        right_x = MARGIN_X + left_w + 2
        right_w = self.w - MARGIN_X - right_x
        top = self.get_y()

        # Left: the governing body in capitals, the agency in bold capitals, a short rule.
        self.set_xy(MARGIN_X, top)
        if parent_agency:
            self.set_font(FAMILY, "", 11.5)
            self.multi_cell(
                left_w,
                5.2,
                _nfc(parent_agency).upper(),
                align=Align.C,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        self.set_x(MARGIN_X)
        self.set_font(FAMILY, "B", 11.5)
        self.multi_cell(
            left_w,
            5.2,
            _nfc(agency).upper() or "…",
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self._short_rule(MARGIN_X + left_w / 2, 18)
        self.set_font(FAMILY, "", 11.5)
        for line in (number_line, code_line):
            if line:
                self.set_x(MARGIN_X)
                self.multi_cell(
                    left_w, 5.6, _nfc(line), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
                )
        left_bottom = self.get_y()

        # Right: the national name, the motto, a rule as long as the motto, place and date.
        self.set_xy(right_x, top)
        self.set_font(FAMILY, "B", 11.5)
        self.cell(right_w, 5.2, NATION, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FAMILY, "B", 12.5)
        self.cell(right_w, 5.6, MOTTO, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self._short_rule(right_x + right_w / 2, self.get_string_width(MOTTO))
        self.set_xy(right_x, self.get_y() + (5.2 if number_line else 0))
        self.set_font(FAMILY, "I", 12)
        self.cell(right_w, 5.6, _nfc(place_date), align=Align.C)
        right_bottom = self.get_y() + 5.6

        self.set_xy(MARGIN_X, max(left_bottom, right_bottom) + 6)
        self.set_font(FAMILY, "", BODY_SIZE)

    def _short_rule(self, centre_x: float, width: float) -> None:
        y = self.get_y() + 0.6
        self.set_line_width(0.3)
        self.line(centre_x - width / 2, y, centre_x + width / 2, y)
        self.set_y(y + 1.4)

    # Body ---------------------------------------------------------------------------------

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font(FAMILY, "B", 14)
        self.multi_cell(
            0, 7, _nfc(title).upper(), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        if subtitle:
            self.set_font(FAMILY, "I", 12)
            self.multi_cell(
                0, 6, _nfc(subtitle), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.ln(4)
        self.set_font(FAMILY, "", BODY_SIZE)

    def para(self, text: str, *, indent: bool = True, italic: bool = False) -> None:
        """A justified paragraph, its first line indented as in administrative documents."""
        self.set_x(MARGIN_X)
        self.set_font(FAMILY, "I" if italic else "", BODY_SIZE)
        with (
            self.text_columns(
                text_align=Align.J, line_height=LINE / (BODY_SIZE * 25.4 / 72)
            ) as columns,
            columns.paragraph(first_line_indent=10 if indent else 0) as paragraph,
        ):
            paragraph.write(_nfc(text))
        self.set_x(MARGIN_X)
        self.set_font(FAMILY, "", BODY_SIZE)

    def field(self, label: str, value: str, *, blank: str = "…………………………………") -> None:
        """'Label: value' with the value in bold, flowing onto the next lines when long."""
        self.set_x(MARGIN_X)
        self.set_font(FAMILY, "", BODY_SIZE)
        self.write(LINE, f"{_nfc(label)}: ")
        self.set_font(FAMILY, "B", BODY_SIZE)
        self.write(LINE, _nfc(value).strip() or blank)
        self.set_font(FAMILY, "", BODY_SIZE)
        self.ln(LINE)

    def numbered(self, items: Iterable[str], *, empty: str = "…") -> None:
        items = [_nfc(i) for i in items] or [empty]
        for n, item in enumerate(items, start=1):
            self.set_x(MARGIN_X + 6)
            self.multi_cell(
                0, LINE, f"{n}. {item}", align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )

    def table(self, headings: list[str], rows: list[list[str]], widths: list[float]) -> None:
        """A bordered table with a bold heading row, repeated on each page it spans."""
        self.set_font(FAMILY, "", 11)
        self.set_draw_color(0)
        with super().table(
            col_widths=widths,
            width=self.epw,
            headings_style=FontFace(emphasis="BOLD"),
            text_align="CENTER",
            line_height=5.6,
            padding=1.2,
            borders_layout=TableBordersLayout.ALL,
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            table.row([_nfc(h) for h in headings])
            for values in rows:
                row = table.row()
                for i, value in enumerate(values):
                    # The name column reads left-aligned; the counts and times centred.
                    row.cell(_nfc(value), align="LEFT" if i == 1 else "CENTER")
        self.ln(3)
        self.set_font(FAMILY, "", BODY_SIZE)

    # Signatures and QR ----------------------------------------------------------------------

    def signatures(self, *columns: tuple[str, str, str]) -> None:
        """Signature columns of (title, hint, name); one column sits on the right half."""
        self.ln(4)
        col_w = self.epw / 2
        needed = 6 + 5 + 22 + 6
        if self.get_y() + needed > self.page_break_trigger:
            self.add_page()
        top = self.get_y()
        slots = columns if len(columns) == 2 else ((None, *columns))
        for i, column in enumerate(slots):
            if column is None:
                continue
            title, hint, name = column
            x = MARGIN_X + i * col_w
            self.set_xy(x, top)
            self.set_font(FAMILY, "B", BODY_SIZE)
            self.multi_cell(
                col_w, 6, _nfc(title).upper(), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.set_x(x)
            self.set_font(FAMILY, "I", 11)
            self.multi_cell(
                col_w, 5, _nfc(hint), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.set_xy(x, self.get_y() + 20)
            self.set_font(FAMILY, "B", BODY_SIZE)
            self.multi_cell(
                col_w, 6, _nfc(name), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.set_font(FAMILY, "", BODY_SIZE)

    def qr_block(self, url: str, dossier_code: str) -> None:
        """The QR code to the public tracking page, with the dossier code printed beside it.

        Placed at the foot of the last page (or after the text when the page is full), so it
        never sits in the signature space.
        """
        if url and not url.startswith(("https://", "http://")):
            # A phone that scans the code needs the whole address, host included.
            logger.warning("the QR code of dossier %s holds a relative URL %r", dossier_code, url)
        text_x = MARGIN_X + QR_SIZE + 4
        y = max(self.get_y() + 6, self.page_break_trigger - QR_SIZE - 2)
        if y + QR_SIZE > self.page_break_trigger:
            self.add_page()
            y = self.get_y()
        self.set_draw_color(150)
        self.set_line_width(0.2)
        self.line(MARGIN_X, y - 3, self.w - MARGIN_X, y - 3)
        self.set_draw_color(0)
        if url:
            self.image(qr_png(url), x=MARGIN_X, y=y, w=QR_SIZE, h=QR_SIZE, alt_text=url)
        self.set_xy(text_x, y + 3)
        self.set_font(FAMILY, "", 10.5)
        self.cell(0, 5, "Mã hồ sơ:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_x(text_x)
        self.set_font(FAMILY, "B", 13)
        self.cell(0, 6.5, _nfc(dossier_code) or "…", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_x(text_x)
        self.set_font(FAMILY, "I", 10.5)
        self.multi_cell(
            self.w - MARGIN_X - text_x,
            5,
            "Quét mã QR hoặc truy cập địa chỉ sau để tra cứu tình trạng hồ sơ:",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_x(text_x)
        self.set_font(FAMILY, "", 10.5)
        self.multi_cell(
            self.w - MARGIN_X - text_x, 5, url or "…", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_font(FAMILY, "", BODY_SIZE)

    def _number_pages(self) -> None:
        """'Trang 1/2' at the foot of each page, only when the form runs over one page."""
        total = self.pages_count
        if total < 2:
            return
        last = self.page
        self.set_auto_page_break(False)
        for number in range(1, total + 1):
            self.page = number
            # fpdf2 remembers the last font it set, not the font of each page's stream: set a
            # different one first so the footer's font is really selected on this page.
            self.set_font(FAMILY, "B", 8)
            self.set_font(FAMILY, "I", 9)
            self.set_xy(MARGIN_X, self.h - 12)
            self.cell(self.epw, 5, f"Trang {number}/{total}", align=Align.C)
        self.page = last

    def finish(self, *, strict: bool) -> bytes:
        self._number_pages()
        missing = sorted({chr(c) for font in self.fonts.values() for c in font.missing_glyphs})
        if missing:
            message = f"the form's font has no glyph for {missing!r}"
            if strict:
                raise MissingGlyphError(message)
            logger.warning(message)
        return bytes(self.output())


@functools.lru_cache(maxsize=256)
def _qr_png_bytes(url: str) -> bytes:
    out = io.BytesIO()
    # Error correction M (15 %): survives a stamp or a fold on paper.
    segno.make_qr(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def qr_png(url: str) -> io.BytesIO:
    return io.BytesIO(_qr_png_bytes(url))
