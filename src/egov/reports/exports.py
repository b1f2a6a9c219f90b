"""Biểu 06 as an Excel workbook (openpyxl) and a landscape A4 PDF (fpdf2, Source Sans Pro).

Both draw the header from :data:`HEADER`, the one description of the form's three header rows
(the report page uses it too), then the row of column numbers, one row per sector, the totals.
The layout follows the form as published with Circular 01/2020/TT-VPCP (see docs/reports.md for
what could and could not be verified); columns 14 and 15 are egov's own, beside the form.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from egov.dossiers.pdf.layout import FAMILY, _document_font, _nfc, _template_fonts
from egov.reports.procedure_report import (
    COLUMN_OF,
    COLUMNS,
    OTHER_GROUP,
    PENDING_GROUP,
    RECEIVED_GROUP,
    RESOLVED_GROUP,
    ZONE,
    Cell,
    Report,
)

FORM_CODE = "Biểu số 06/VPCP/KSTT"
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
FORM_TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
UNIT_NOTE = "Đơn vị tính: Số hồ sơ TTHC"
WIDTH = 2 + len(COLUMNS)  # STT, sector, the counts


@dataclass(frozen=True)
class HeaderCell:
    row: int  # 0, 1 or 2
    col: int  # 0-based over WIDTH columns
    rowspan: int
    colspan: int
    text: str


def header() -> list[HeaderCell]:
    """The form's three header rows (translated when the page is shown in English)."""
    c = {col.cell: 2 + i for i, col in enumerate(COLUMNS)}
    # Every count spans the two lower rows, except online and direct under "Trong đó".
    lower = [col for col in COLUMNS if col.cell not in (Cell.ONLINE, Cell.DIRECT)]
    return [
        HeaderCell(0, 0, 3, 1, _("STT")),
        HeaderCell(0, 1, 3, 1, _("Lĩnh vực, công việc giải quyết theo cấp")),
        HeaderCell(0, c[Cell.RECEIVED], 1, 4, str(RECEIVED_GROUP)),
        HeaderCell(0, c[Cell.RESOLVED], 1, 4, str(RESOLVED_GROUP)),
        HeaderCell(0, c[Cell.PENDING], 1, 3, str(PENDING_GROUP)),
        HeaderCell(0, c[Cell.WITHDRAWN], 1, 2, str(OTHER_GROUP)),
        HeaderCell(1, c[Cell.ONLINE], 1, 2, _("Trong đó")),
        *(HeaderCell(1, c[col.cell], 2, 1, str(col.label)) for col in lower),
        HeaderCell(2, c[Cell.ONLINE], 1, 1, str(COLUMN_OF[Cell.ONLINE].label)),
        HeaderCell(2, c[Cell.DIRECT], 1, 1, str(COLUMN_OF[Cell.DIRECT].label)),
    ]


def numbers_row() -> list[str]:
    return ["(1)", "(2)", *(f"({col.number})" for col in COLUMNS)]


def period_line(report: Report) -> str:
    return _("Kỳ báo cáo: từ ngày %(start)s đến ngày %(end)s") % {
        "start": f"{report.start:%d/%m/%Y}",
        "end": f"{report.end:%d/%m/%Y}",
    }


def measured_line(report: Report) -> str:
    return _("Số hồ sơ đang giải quyết tính đến %(moment)s") % {
        "moment": f"{report.as_of.astimezone(ZONE):%H:%M %d/%m/%Y}"
    }


def body_rows(report: Report) -> list[list[object]]:
    """STT, sector, the counts (as numbers) for each sector, then the totals row."""
    rows: list[list[object]] = [
        [i, row.sector_name, *(row.counts[col.cell] for col in COLUMNS)]
        for i, row in enumerate(report.rows, start=1)
    ]
    rows.append(["", _("Tổng cộng"), *(report.totals[col.cell] for col in COLUMNS)])
    return rows


def identity_note() -> str:
    return _(
        "(3) = (4) + (5) + (6) = (7) + (11) + (14) + (15); (7) = (8) + (9) + (10); "
        "(11) = (12) + (13)."
    )


def file_name(report: Report, key: str, extension: str) -> str:
    scope = (key or "toan-tinh").replace(",", "-")
    return f"bieu-06-{scope}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{extension}"


# --- Excel ------------------------------------------------------------------------------------

HEADER_TOP = 6  # the first header row in the sheet (rows 1-5 hold the title block)
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
COLUMN_WIDTHS = [6, 42] + [11] * len(COLUMNS)


def workbook(report: Report, scope_label: str, *, generated_at: datetime) -> bytes:
    """The report as an .xlsx file's bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu 06"
    last = get_column_letter(WIDTH)

    def merged(cells: str, value: str, *, bold=False, italic=False, align="center", size=11):
        sheet.merge_cells(cells)
        first = sheet[cells.split(":")[0]]
        first.value = value
        first.font = Font(name="Times New Roman", bold=bold, italic=italic, size=size)
        first.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)

    merged("A1:C1", FORM_CODE, bold=True, align="left")
    merged("A2:C3", FORM_BASIS, italic=True, align="left", size=9)
    merged(f"D1:{get_column_letter(WIDTH - 3)}2", FORM_TITLE, bold=True, size=13)
    merged(f"D3:{get_column_letter(WIDTH - 3)}3", period_line(report), bold=True)
    merged(
        f"{get_column_letter(WIDTH - 2)}1:{last}3",
        _("Đơn vị báo cáo: %(unit)s") % {"unit": scope_label},
        align="left",
        size=10,
    )
    merged(f"A4:{get_column_letter(WIDTH - 3)}4", measured_line(report), italic=True, size=10)
    merged(f"{get_column_letter(WIDTH - 2)}4:{last}4", UNIT_NOTE, italic=True, align="right")
    sheet.row_dimensions[1].height = 22
    sheet.row_dimensions[2].height = 22

    for cell in header():
        top, left = HEADER_TOP + cell.row, 1 + cell.col
        bottom, right = top + cell.rowspan - 1, left + cell.colspan - 1
        if (bottom, right) != (top, left):
            sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        target = sheet.cell(top, left, cell.text)
        target.font = Font(name="Times New Roman", bold=True)
        target.alignment = CENTRE
    for r in range(HEADER_TOP, HEADER_TOP + 3):
        sheet.row_dimensions[r].height = 30
        for col in range(1, WIDTH + 1):
            sheet.cell(r, col).border = BOX

    numbers = HEADER_TOP + 3
    for col, text in enumerate(numbers_row(), start=1):
        target = sheet.cell(numbers, col, text)
        target.font = Font(name="Times New Roman", italic=True, size=9)
        target.alignment = CENTRE
        target.border = BOX

    rows = body_rows(report)
    for offset, values in enumerate(rows):
        r = numbers + 1 + offset
        is_total = offset == len(rows) - 1
        for col, value in enumerate(values, start=1):
            target = sheet.cell(r, col, value)
            target.border = BOX
            target.font = Font(name="Times New Roman", bold=is_total)
            if col == 2:
                target.alignment = Alignment(vertical="center", wrap_text=True)
            else:
                target.alignment = Alignment(horizontal="center" if col == 1 else "right")
                if col > 2:
                    target.number_format = "#,##0"
    note_row = numbers + len(rows) + 2
    merged(f"A{note_row}:{last}{note_row}", identity_note(), italic=True, align="left", size=9)
    merged(
        f"A{note_row + 1}:{last}{note_row + 1}",
        _("Lập lúc %(moment)s từ dữ liệu của hệ thống một cửa điện tử.")
        % {"moment": f"{generated_at.astimezone(ZONE):%H:%M %d/%m/%Y}"},
        italic=True,
        align="left",
        size=9,
    )

    for col, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = sheet.cell(numbers + 1, 3)
    sheet.print_title_rows = f"{HEADER_TOP}:{numbers}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------


class ReportPDF(FPDF):
    """A landscape A4 page with the one-stop shop forms' embedded Vietnamese font."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        for key, template in _template_fonts().items():
            self.fonts[key] = _document_font(template, key, index=len(self.fonts) + 1)
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(True, margin=12)
        self.set_title(_nfc(title))
        self.set_author("egov")
        self.set_creator("egov")
        self.set_lang("vi-VN")
        self.add_page()


PDF_WIDTHS = (9, 56) + (16,) * len(COLUMNS)


def pdf(report: Report, scope_label: str, *, generated_at: datetime) -> bytes:
    """The report as a PDF file's bytes (the header repeats on every page)."""
    doc = ReportPDF(FORM_TITLE)
    width = doc.w - doc.l_margin - doc.r_margin
    top = doc.get_y()
    doc.set_font(FAMILY, "B", 9)
    doc.multi_cell(60, 4.5, _nfc(FORM_CODE), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FAMILY, "I", 8)
    doc.multi_cell(60, 4, _nfc(FORM_BASIS), new_x="LMARGIN", new_y="NEXT")
    doc.set_xy(doc.l_margin + width - 60, top)
    doc.set_font(FAMILY, "", 9)
    doc.multi_cell(60, 4.5, _nfc(_("Đơn vị báo cáo: %(unit)s") % {"unit": scope_label}))
    doc.set_xy(doc.l_margin + 62, top)
    doc.set_font(FAMILY, "B", 12)
    doc.multi_cell(width - 124, 6, _nfc(FORM_TITLE), align=Align.C, new_x="LMARGIN", new_y="NEXT")
    doc.set_x(doc.l_margin + 62)
    doc.set_font(FAMILY, "B", 10)
    doc.multi_cell(width - 124, 5, _nfc(period_line(report)), align=Align.C)
    doc.set_y(max(doc.get_y(), top + 22))
    doc.set_font(FAMILY, "I", 8.5)
    doc.cell(width / 2, 5, _nfc(measured_line(report)))
    doc.cell(width / 2, 5, _nfc(UNIT_NOTE), align=Align.R, new_x="LMARGIN", new_y="NEXT")

    doc.set_font(FAMILY, "", 8.5)
    heading = FontFace(family=FAMILY, emphasis="B", size_pt=8)
    with doc.table(
        col_widths=PDF_WIDTHS,
        width=sum(PDF_WIDTHS),
        text_align="CENTER",
        line_height=4.2,
        headings_style=heading,
        num_heading_rows=4,
        borders_layout=TableBordersLayout.ALL,
        first_row_as_headings=True,
    ) as table:
        by_row: dict[int, list[HeaderCell]] = {}
        for cell in header():
            by_row.setdefault(cell.row, []).append(cell)
        for r in range(3):
            line = table.row()
            for cell in sorted(by_row[r], key=lambda c: c.col):
                line.cell(_nfc(cell.text), rowspan=cell.rowspan, colspan=cell.colspan)
        numbers = table.row()
        for text in numbers_row():
            numbers.cell(text, style=FontFace(family=FAMILY, emphasis="I", size_pt=7.5))
        rows = body_rows(report)
        for offset, values in enumerate(rows):
            style = FontFace(family=FAMILY, emphasis="B" if offset == len(rows) - 1 else "")
            line = table.row()
            for col, value in enumerate(values):
                align = "LEFT" if col == 1 else "RIGHT" if col > 1 else "CENTER"
                text = (
                    f"{value:,}".replace(",", ".") if isinstance(value, int) and col > 1 else value
                )
                line.cell(_nfc(text), align=align, style=style)
    doc.ln(3)
    doc.set_font(FAMILY, "I", 8)
    doc.multi_cell(width, 4, _nfc(identity_note()), new_x="LMARGIN", new_y="NEXT")
    doc.multi_cell(
        width,
        4,
        _nfc(
            _("Lập lúc %(moment)s từ dữ liệu của hệ thống một cửa điện tử.")
            % {"moment": f"{generated_at.astimezone(ZONE):%H:%M %d/%m/%Y}"}
        ),
    )
    return bytes(doc.output())
