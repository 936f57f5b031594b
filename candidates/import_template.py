"""The downloadable import template: the roster's columns, drop-down lists for coded fields, instructions."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cadre_pool.models import Degree, Education, Ethnicity, OrgUnit, PoliticalStatus
from candidates.models import SkillTag, SourceCategory


# (header, width, list of allowed values or None)
def _columns(township: OrgUnit) -> list[tuple[str, int, list[str] | None]]:
    villages = [v.short_name or v.name for v in OrgUnit.objects.villages().filter(parent=township).order_by("code")]
    return [
        ("乡镇(街道)", 12, [township.short_name or township.name]),
        ("村(社区)", 14, villages),
        ("姓名", 10, None),
        ("性别", 6, ["男", "女"]),
        ("民族", 8, [e.name for e in Ethnicity.objects.all()]),
        ("出生年月", 10, None),
        ("籍贯", 12, None),
        ("政治面貌", 12, [p.short_name or p.name for p in PoliticalStatus.objects.all()]),
        ("入党时间", 10, None),
        ("学历", 14, [e.name for e in Education.objects.filter(parent__isnull=False)]),
        ("学位", 10, [d.name for d in Degree.objects.filter(parent__isnull=True)]),
        ("毕业院校及专业", 20, None),
        ("公民身份号码", 22, None),
        ("联系电话", 14, None),
        ("人员类别", 16, [str(label) for _value, label in SourceCategory.choices]),
        ("现工作单位及职务", 20, None),
        ("产业经验或专业技能", 20, None),
        ("备注", 20, None),
    ]


def template_bytes(township: OrgUnit) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    codes = workbook.create_sheet("代码")
    guide = workbook.create_sheet("填写说明")
    columns = _columns(township)

    sheet["A1"] = _("%(township)s reserve candidates — import sheet") % {"township": township}
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A2"] = _("Fill one person per row from row 4; keep the header row. See the instructions sheet.")
    for index, (header, width, allowed) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=3, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(wrap_text=True)
        sheet.column_dimensions[letter].width = width
        if header in {"公民身份号码", "联系电话", "出生年月", "入党时间"}:
            # Text cells, so Excel does not round 18-digit numbers or turn dates into serials.
            for row in range(4, 504):
                sheet.cell(row=row, column=index).number_format = "@"
        if allowed:
            for row, value in enumerate(allowed, start=1):
                codes.cell(row=row, column=index, value=value)
            rule = DataValidation(
                type="list",
                formula1=f"'代码'!${letter}$1:${letter}${len(allowed)}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=header,
                error=_("Choose a value from the list."),
            )
            sheet.add_data_validation(rule)
            rule.add(f"{letter}4:{letter}503")
    sheet.freeze_panes = "A4"
    codes.sheet_state = "hidden"

    skills = "、".join(tag.name for tag in SkillTag.objects.filter(active=True))
    for row, line in enumerate(
        [
            "填写说明",
            "1. 从第 4 行起每行填写一人，不要删除或改动第 3 行的表头；列的顺序可以调整。",
            "2. 公民身份号码必须为 18 位，最后一位可以是 X；"
            "请保持单元格为“文本”格式，以免 Excel 把号码变成科学计数法。",
            "3. 出生年月可以不填，系统按身份证号码读取；如填写，可写作 1990.05、1990年5月、199005、"
            "1990-05-14 或 1990年5月14日，也可以是 Excel 日期。",
            "4. 性别、民族、政治面貌、学历、人员类别、村（社区）请从下拉列表中选择，"
            "也可以填写常用简称，如“党员”“大专”“本科”“退伍军人”。",
            "5. 入党时间只有中共党员和预备党员填写；暂缺的入党时间、籍贯、学位、联系电话不影响导入，"
            "档案会标为不完整，之后补填。",
            "6. 标题行、空行和“合计”行会被跳过，并在检查结果中列出。",
            f"7. 产业经验或专业技能用顿号分隔，可选：{skills}；其他内容会记为“其他经验和技能”。",
            "8. 已在本乡镇建档的人员（身份证号码相同）会被更新；在其他乡镇建档的人员不能导入。",
            "9. 导入前系统会逐行检查并显示结果；只要有一行有错，就不会写入任何数据。",
        ],
        start=1,
    ):
        guide.cell(row=row, column=1, value=line)
    guide.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
