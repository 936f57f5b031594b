"""登记表: one candidate's registration form, printable on one A4 page and as an Excel sheet."""

import io

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from assessments.records import management_records
from cadre_pool import exports
from cadre_pool.access.declarations import READERS, access
from cadre_pool.excel import FORMULA_PREFIXES, printable
from cadre_pool.exports import xlsx_response
from candidates.models import Candidate
from mentorship.records import cultivation_records


def _context(candidate: Candidate) -> dict:

    cultivation = cultivation_records(candidate)
    management = management_records(candidate)
    skills = [tag.name for tag in candidate.skills.all()]
    if candidate.skills_other:
        skills.append(candidate.skills_other)
    return {
        "candidate": candidate,
        "skills": "、".join(skills),
        "work_history": list(candidate.work_history.all()),
        "cultivation": cultivation,
        "assessments": management["assessments"][:5],
        "reviews": management["reviews"][:3],
        "decisions": management["decisions"],
        "today": timezone.localdate(),
    }


@access(READERS)
def registration_form(request, pk):
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).for_detail().prefetch_related("skills", "work_history"), pk=pk
    )
    context = _context(candidate)
    if request.GET.get("export") == "xlsx":
        exports.record_export(request, "registration_form", 1, candidate=candidate.pk)
        return xlsx_response(_workbook(context), f"registration-{candidate.pk}.xlsx")
    return render(request, "reports/registration.html", context)


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")


def _workbook(context: dict) -> bytes:
    """The same form as an A4 sheet: label/value pairs in a bordered grid, long sections merged across."""
    c = context["candidate"]
    cultivation = context["cultivation"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "登记表"
    for letter, width in zip("ABCDEF", (12, 16, 12, 16, 12, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.merge_cells("A1:F1")
    sheet["A1"] = "村党组织书记后备力量登记表"
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")

    def pair_row(row, *pairs):
        for index, (label, value) in enumerate(pairs):
            label_cell = sheet.cell(row=row, column=1 + index * 2, value=label)
            value_cell = _put(sheet.cell(row=row, column=2 + index * 2), value)
            label_cell.font = Font(bold=True)
            for cell in (label_cell, value_cell):
                cell.border = _BOX
                cell.alignment = _WRAP

    def block(row, label, value, height=45):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
        _put(sheet.cell(row=row, column=2), value)
        for column in range(1, 7):
            sheet.cell(row=row, column=column).border = _BOX
            sheet.cell(row=row, column=column).alignment = _WRAP
        sheet.row_dimensions[row].height = height

    pair_row(3, ("姓名", c.name), ("性别", str(c.gender)), ("出生年月", f"{c.birth_date:%Y.%m}（{c.age}岁）"))
    pair_row(4, ("民族", str(c.ethnicity)), ("籍贯", c.native_place), ("健康状况", str(c.health or "")))
    pair_row(
        5,
        ("政治面貌", str(c.political_status)),
        ("入党时间", f"{c.party_entry_date:%Y.%m}" if c.party_entry_date else ""),
        ("人员类别", c.get_source_category_display()),
    )
    pair_row(6, ("乡镇(街道)", str(c.township)), ("村(社区)", str(c.village or "")), ("状态", c.get_status_display()))
    pair_row(7, ("公民身份号码", c.masked_id_number), ("联系电话", c.masked_phone), ("学历", c.education.name))
    schools = (c.fulltime_school, c.fulltime_major, c.inservice_school, c.inservice_major)
    block(8, "毕业院校及专业", " ".join(p for p in schools if p), 24)
    block(9, "现工作单位及职务", " ".join(p for p in (c.employer, c.occupation, c.current_city) if p), 24)
    block(10, "简历", "\n".join(_work_line(w) for w in context["work_history"]), 70)
    block(11, "产业经验或专业技能", context["skills"], 24)
    block(12, "培养情况", _cultivation_line(cultivation))
    assessments = context["assessments"]
    block(
        13,
        "考察识别",
        "；".join(f"{a.date:%Y.%m} {a.get_kind_display()} {a.get_rating_display()}" for a in assessments),
    )
    block(14, "回头看", "；".join(f"{r.round.name}：{r.get_conclusion_display()}" for r in context["reviews"]))
    block(15, "奖惩情况", c.rewards_punishments, 30)
    block(16, "乡镇党委意见", "\n\n\n（盖章）            年    月    日", 80)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(cell, value):
    text = "" if value is None else printable(str(value))
    cell.value = text
    if text.startswith(FORMULA_PREFIXES):
        # A form cell is never read as a formula.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _work_line(entry) -> str:
    end = f"{entry.end:%Y.%m}" if entry.end else "今"
    return f"{entry.start:%Y.%m}—{end} {entry.unit} {entry.role}"


def _cultivation_line(cultivation) -> str:
    parts = []
    if cultivation.current_assignments:
        parts.append("导师：" + "、".join(str(a.mentor) for a in cultivation.current_assignments))
    if cultivation.current_placements:
        parts.append("岗位锻炼：" + "、".join(str(p.post_type) for p in cultivation.current_placements))
    if cultivation.current_secondment:
        parts.append(
            f"挂职：{cultivation.current_secondment.host_village}（{cultivation.current_secondment.get_mode_display()}）"
        )
    if cultivation.courses:
        parts.append(f"培训 {len(cultivation.courses)} 次")
    return "；".join(parts)
