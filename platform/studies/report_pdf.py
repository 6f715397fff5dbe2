"""The report as a PDF (reportlab): the page's sections (studies/report_content.py), in order, with
the same plot files and the pool images' thumbnails. Landscape A4, so the wide tables fit."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle)

from studies.models import StudyAnalysis
from studies.report_content import Section, banner, report_sections

PAGE = landscape(A4)
MARGIN = 14 * mm
WIDTH = PAGE[0] - 2 * MARGIN
THUMB = 24 * mm

_styles = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_styles["BodyText"], fontSize=8.5, leading=11)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7.5, leading=9)
HEAD = ParagraphStyle("head", parent=CELL, fontName="Helvetica-Bold")
CAPTION = ParagraphStyle("caption", parent=CELL, textColor=colors.grey)
WARN = ParagraphStyle("warn", parent=BODY, backColor=colors.HexColor("#fff1cc"), borderColor=colors.HexColor("#d29922"),
                      borderWidth=0.8, borderPadding=5, spaceBefore=4, spaceAfter=8, fontName="Helvetica-Bold")


def report_pdf(analysis: StudyAnalysis) -> bytes:
    study = analysis.study
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"{study.title}: reader-study report", author="RadTuring")
    kind = "Final report" if analysis.final else "Live report (the study is still open)"
    story = [Paragraph(escape(study.title), _styles["Title"]),
             Paragraph(f"{kind} — analysis of {analysis.created_at:%Y-%m-%d %H:%M} UTC", BODY), Spacer(1, 4)]
    story += [Paragraph(escape(line), WARN) for line in banner(analysis)]
    for section in report_sections(analysis):
        story += _section(section, analysis)
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.setFillColor(colors.grey)
    canvas.drawString(MARGIN, 8 * mm, "RadTuring reader-study report · synthetic images are for teaching and research only")
    canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, f"page {doc.page}")
    canvas.restoreState()


def _section(section: Section, analysis: StudyAnalysis) -> list:
    flow = [Paragraph(escape(section.title), _styles["Heading2"])]
    flow += [Paragraph(escape(p), BODY) for p in section.paragraphs]
    for table in section.tables:
        flow += [Spacer(1, 3), _table(table.headers, table.rows)]
        if table.caption:
            flow.append(Paragraph(escape(table.caption), CAPTION))
    for title, items in section.galleries:
        flow.append(Paragraph(escape(title), _styles["Heading3"]))
        flow.append(_gallery(items) if items else Paragraph("None.", BODY))
    plots = [Image(str(analysis.plot_path(name)), kind="bound", width=WIDTH / 2 - 4 * mm, height=85 * mm)
             for name in section.plots if analysis.plot_path(name) and analysis.plot_path(name).is_file()]
    if plots:
        flow.append(Table([plots], hAlign="LEFT"))
    return [KeepTogether(flow[:3]), *flow[3:], Spacer(1, 6)]


def _table(headers: list[str], rows: list[list[str]]) -> Table:
    data = [[Paragraph(escape(h), HEAD) for h in headers]]
    data += [[Paragraph(escape(c), CELL) for c in row] for row in rows] or [[Paragraph("None.", CELL)] + [""] * (len(headers) - 1)]
    table = Table(data, colWidths=[WIDTH / len(headers)] * len(headers), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _gallery(items) -> Table:
    per_row = 4
    cells = []
    for item in items:
        try:
            with default_storage.open(item.thumb_name, "rb") as handle:
                picture = Image(io.BytesIO(handle.read()), width=THUMB, height=THUMB)
        except (OSError, ValueError):
            picture = Paragraph("(thumbnail missing)", CAPTION)
        text = Paragraph("<br/>".join(escape(line) for line in item.lines)
                         + (f"<br/><i>{escape(item.words)}</i>" if item.words else ""), CELL)
        cells.append(Table([[picture, text]], colWidths=[THUMB + 2 * mm, WIDTH / per_row - THUMB - 4 * mm]))
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    return Table(rows, colWidths=[WIDTH / per_row] * per_row, hAlign="LEFT")
