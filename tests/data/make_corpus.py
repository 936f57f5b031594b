"""Write the import corpus: rosters shaped like the ones townships keep, and what each must give.

    .venv/bin/python tests/data/make_corpus.py

writes tests/data/import_corpus/NN_name.xlsx and tests/data/import_corpus/expectations.json. Every
roster is built from people of 明阳镇 written in township habits (title rows, merged and two-row
headers, renamed and reordered columns, full-width digits, dashed phones, dates written five ways,
short code names, blank and total rows, missing optional columns) and some real errors. The expected
messages are written out here in the words the import must use, not taken from the import.
"""

import datetime
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parent / "import_corpus"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
GIVEN = "明华建国军平伟芳娜敏静丽强磊洋艳勇杰娟涛超秀霞刚桂英玉兰鹏飞燕红梅波斌宇浩凯"
VILLAGES = ["骑龙山村", "林家庙村", "二郎庙村", "石梁子村", "双凤村", "付家寨村", "金包村", "鹿台村", "成城村"]


def id_number(birth: datetime.date, sequence: int) -> str:
    body = f"511903{birth:%Y%m%d}{sequence:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


# Filed by 关公镇 before the import (the test creates that file).
ELSEWHERE_ID = id_number(datetime.date(1988, 5, 5), 13)


def full_width(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in value)


def mask(value: str) -> str:
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


# The messages, as the import must word them.
def empty(column):
    return f"{column}为空。"


def bad(column, value, reason):
    return f"{column}“{value}”：{reason}。"


def warn_empty(column):
    return f"{column}为空：已导入，档案标为不完整，请补填。"


def warn_no_column(column):
    return f"表中没有{column}列：已导入，档案标为不完整，请补填。"


def note_absent(*columns):
    return f"表中没有{'、'.join(columns)}列：导入的档案标为不完整，请补填。"


def note_unread(*columns):
    return f"以下列不导入：{'、'.join(columns)}。"


NOTE_NO_ETHNICITY = "表中没有民族列：所有人按汉族导入。"
SKIP_BLANK, SKIP_SEQ, SKIP_TOTAL, SKIP_COUNT = "空行", "只有序号，没有人员信息", "合计行", "只有人数的行"
SKIP_FOOTER, SKIP_HEADER = "表尾的说明或签名行", "重复的表头行"
NOT_CODE = "代码表中没有这个值"
NOT_DATE = "无法识别为日期，可写作 1990.03、1990年3月 或 1990-03-14"
NOT_MOBILE = "不是大陆手机号码（11 位数字，以 13–19 开头）"
CHECKSUM = "公民身份号码校验码不正确，请逐位核对"


@dataclass
class Person:
    name: str
    id: str
    birth: datetime.date
    political: str = "群众"
    entry: str | None = None
    education: str = "高中"
    source: str = "退役军人"
    village: str = "骑龙山村"
    phone: str = "13800000000"
    native: str = "四川巴中"
    degree: str | None = None
    ethnicity: str = "汉族"

    @property
    def gender(self) -> str:
        return "男" if int(self.id[16]) % 2 else "女"


_rng = random.Random(19)
_used = set()


def person(n: int, **overrides) -> Person:
    while True:
        birth = datetime.date(1978, 1, 1) + datetime.timedelta(days=_rng.randrange(0, 8000))
        sequence = _rng.randrange(100, 999)
        number = id_number(birth, sequence)
        if number not in _used:
            _used.add(number)
            break
    name = SURNAMES[_rng.randrange(len(SURNAMES))] + "".join(GIVEN[_rng.randrange(len(GIVEN))] for _ in range(2))
    data = Person(
        name=name,
        id=number,
        birth=birth,
        village=VILLAGES[n % len(VILLAGES)],
        phone=f"139{_rng.randrange(10**7, 10**8)}",
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


@dataclass
class Row:
    """One line of a roster: its cells by heading, and what the import must make of it."""

    cells: dict
    outcome: str  # new, error or skipped
    name: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass
class Roster:
    slug: str
    about: str
    headings: list[str]  # the header as written, one heading per column
    rows: list[Row]
    titles: list[str] = field(default_factory=lambda: ["明阳镇村级后备力量花名册"])
    group_row: list | None = None  # a row above the headings: group headings over merged cells
    notes: list[str] = field(default_factory=list)
    rejected: str = ""  # the file is refused as a whole with this message
    footer: list[list] = field(default_factory=list)


# Standard cells of a person under the headings a roster uses; `written` says how each is spelled.
def cells(p: Person, headings: list[str], **written) -> dict:
    values = {
        "序号": None,
        "姓名": p.name,
        "性别": p.gender,
        "民族": p.ethnicity,
        "出生年月": f"{p.birth:%Y.%m}",
        "籍贯": p.native,
        "政治面貌": p.political,
        "入党时间": p.entry,
        "学历": p.education,
        "文化程度": p.education,
        "学位": p.degree,
        "公民身份号码": p.id,
        "身份证号": p.id,
        "身份证号码": p.id,
        "联系电话": p.phone,
        "手机号码": p.phone,
        "人员类别": p.source,
        "类别": p.source,
        "村(社区)": p.village,
        "所在村": p.village,
        "现工作单位及职务": "",
        "备注": "",
        "婚姻状况": "已婚",
    }
    values.update(written)
    return {heading: values.get(heading) for heading in headings}


def new(p: Person, headings: list[str], *, warnings=(), **written) -> Row:
    return Row(cells(p, headings, **written), "new", name=p.name, warnings=list(warnings))


def refused(p: Person, headings: list[str], errors: list[str], *, name=None, **written) -> Row:
    return Row(cells(p, headings, **written), "error", name=p.name if name is None else name, errors=errors)


def skipped(cells_: dict, reason: str) -> Row:
    return Row(cells_, "skipped", reason=reason)


BASIC = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "籍贯",
    "政治面貌",
    "入党时间",
    "学历",
    "学位",
    "公民身份号码",
    "联系电话",
    "人员类别",
    "村(社区)",
]


def member(n, **overrides):
    return person(n, **{"political": "中共党员", "entry": "2012.07", **overrides})


def rosters() -> list[Roster]:
    out = []
    h = BASIC

    # 1. The issue's own roster: 14 people, short code names, no 入党时间 column, dashed phones, a total line.
    h1 = [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "籍贯",
        "政治面貌",
        "学历",
        "公民身份号码",
        "联系电话",
        "人员类别",
        "村(社区)",
    ]
    people = [person(i, education=["大专", "中专", "本科", "高中"][i % 4]) for i in range(14)]
    for i in (1, 4, 9):
        people[i].political = "中共党员"
    rows = []
    for i, p in enumerate(people):
        phone = f"{p.phone[:3]}-{p.phone[3:7]}-{p.phone[7:]}" if i % 2 else p.phone
        warnings = [warn_no_column("入党时间")] if p.political == "中共党员" else []
        rows.append(new(p, h1, warnings=warnings, 序号=i + 1, 联系电话=phone))
    rows.append(skipped({"序号": "合计：14人"}, SKIP_TOTAL))
    out.append(
        Roster(
            "issue_roster",
            "the issue's 14 people",
            h1,
            rows,
            titles=["明阳镇村级后备力量花名册", "填报单位：明阳镇党委（盖章）        填报日期：2026年11月"],
            notes=[note_absent("学位")],
        )
    )

    # 2. Title rows, the standard columns, dates five ways.
    dates = ["{:%Y.%m}", "{:%Y年%m月}", "{:%Y%m}", "{:%Y-%m-%d}", "{:%Y/%m/%d}", "{:%Y%m%d}", "{:%Y年%m月%d日}"]
    rows = []
    for i, spelling in enumerate(dates):
        p = person(i)
        text = spelling.format(p.birth)
        if "年" in spelling:
            text = f"{p.birth.year}年{p.birth.month}月" + (f"{p.birth.day}日" if "日" in spelling else "")
        rows.append(new(p, h, 出生年月=text))
    out.append(
        Roster("dates_as_text", "birth dates written seven ways as text", h, rows, titles=["花名册", "（2026年）"])
    )

    # 3. Dates as Excel cells: datetime, serial numbers, numbers like 1990.03.
    rows = []
    for i in range(5):
        p = person(i)
        serial = (p.birth - datetime.date(1899, 12, 30)).days
        value = [
            datetime.datetime(p.birth.year, p.birth.month, p.birth.day),
            serial,
            float(f"{p.birth.year}.{p.birth.month:02d}") if p.birth.month != 10 else f"{p.birth:%Y.%m}",
            int(f"{p.birth:%Y%m}"),
            int(f"{p.birth:%Y%m%d}"),
        ][i]
        rows.append(new(p, h, 出生年月=value))
    out.append(Roster("dates_as_cells", "dates as Excel dates, serial numbers and numbers", h, rows))

    # 4. Full-width digits, spaces and a leading apostrophe in ID numbers and phones.
    rows = []
    for i in range(6):
        p = person(i)
        ident = [full_width(p.id), f"{p.id[:6]} {p.id[6:14]} {p.id[14:]}", "'" + p.id, p.id.lower(), p.id, p.id][i]
        phone = [
            full_width(p.phone),
            f"{p.phone[:3]} {p.phone[3:7]} {p.phone[7:]}",
            "'" + p.phone,
            f"+86 {p.phone}",
            f"86{p.phone}",
            int(p.phone),
        ][i]
        rows.append(new(p, h, 公民身份号码=ident, 联系电话=phone))
    out.append(Roster("fullwidth_and_spaces", "full-width digits, spaces, apostrophes, +86", h, rows, titles=[]))

    # 5. Columns in another order under alternative headings.
    h5 = [
        "身份证号码",
        "所在村",
        "姓名",
        "类别",
        "文化程度",
        "政治面貌",
        "入党时间",
        "手机号码",
        "性别",
        "民族",
        "出生年月",
        "籍贯",
        "学位",
    ]
    rows = [new(person(i, education="大专"), h5) for i in range(5)]
    out.append(Roster("renamed_reordered", "renamed and reordered columns", h5, rows))

    # 6. Two-row header: 学历 over 全日制教育 / 在职教育, other headings merged down.
    h6 = [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "籍贯",
        "政治面貌",
        "入党时间",
        "学历（全日制教育）",
        "学历（在职教育）",
        "学位",
        "公民身份号码",
        "联系电话",
        "人员类别",
        "村(社区)",
    ]
    group = [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "籍贯",
        "政治面貌",
        "入党时间",
        "学历",
        None,
        "学位",
        "公民身份号码",
        "联系电话",
        "人员类别",
        "村(社区)",
    ]
    sub = [None, None, None, None, None, None, None, None, "全日制教育", "在职教育", None, None, None, None, None]
    rows = []
    for i in range(5):
        p = person(i)
        full, inservice = [("高中", "大专"), ("中专", ""), ("大专", "本科"), ("", "大专"), ("高中", "")][i]
        degree = "学士" if inservice == "本科" else None
        rows.append(new(p, h6, **{"学历（全日制教育）": full, "学历（在职教育）": inservice, "学位": degree}))
    out.append(Roster("two_row_header", "学历 over 全日制/在职, merged cells", h6, rows, group_row=(group, sub)))

    # 7. Blank rows inside the roster, a numbered empty row and trailing blank rows.
    rows = [
        new(person(0), h),
        skipped({}, SKIP_BLANK),
        new(person(1), h),
        skipped({"序号": 3}, SKIP_SEQ),
        new(person(2), h),
    ]
    out.append(Roster("blank_rows", "blank rows and a numbered empty row", h, rows, footer=[[], [], []]))

    # 8. Summary rows of every kind.
    rows = [new(person(i), h) for i in range(3)]
    rows += [
        skipped({"姓名": "小计"}, SKIP_TOTAL),
        new(person(3), h),
        skipped({"序号": "总计", "姓名": "4人"}, SKIP_TOTAL),
    ]
    rows += [skipped({"公民身份号码": 4}, SKIP_COUNT), skipped({"姓名": "共4人"}, SKIP_COUNT)]
    out.append(Roster("summary_rows", "小计, 总计, 4, 共4人", h, rows))

    # 9. A signature footer and the header repeated (a roster pasted from two printed pages).
    rows = [new(person(0), h), new(person(1), h), skipped({x: x for x in h}, SKIP_HEADER), new(person(2), h)]
    rows += [skipped({"序号": "填表人：王小明", "公民身份号码": "审核人：李大为"}, SKIP_FOOTER)]
    out.append(Roster("footer_and_repeated_header", "signature line and a repeated header", h, rows))

    # 10. Short code names everywhere.
    shorts = [
        ("党员", "本科", "大学生"),
        ("预备党员", "大专", "退伍军人"),
        ("团员", "中专", "村干部"),
        ("群众", "高中", "务工人员"),
        ("群众", "初中", "致富带头人"),
        ("无党派", "研究生", "返乡创业"),
    ]
    rows = []
    for i, (political, education, source) in enumerate(shorts):
        entry = "2015.06" if political in ("党员", "预备党员") else None
        degree = "学士" if education == "本科" else "硕士" if education == "研究生" else None
        p = person(i, political=political, entry=entry, education=education, source=source, degree=degree)
        rows.append(new(p, h, 民族="汉"))
    out.append(Roster("short_code_names", "党员, 大专, 大学生, 汉 ...", h, rows))

    # 11. Missing optional columns: no 籍贯, 学位, 入党时间 columns.
    h11 = ["姓名", "性别", "出生年月", "政治面貌", "学历", "公民身份号码", "联系电话", "人员类别", "村(社区)"]
    rows = [
        new(member(0), h11, warnings=[warn_no_column("入党时间")]),
        new(person(1, education="本科"), h11),
        new(person(2), h11),
    ]
    out.append(
        Roster(
            "no_optional_columns",
            "no 籍贯/学位/入党时间/民族",
            h11,
            rows,
            notes=[note_absent("学位", "籍贯"), NOTE_NO_ETHNICITY],
        )
    )

    # 12. Optional cells left empty: warnings, the file imports.
    rows = [
        new(member(0, entry=None), h, warnings=[warn_empty("入党时间")]),
        new(person(1, education="本科"), h, warnings=[warn_empty("学位")]),
        new(person(2, native=""), h, warnings=[warn_empty("籍贯")]),
        new(person(3, phone=""), h, warnings=[warn_empty("联系电话")]),
        new(person(4, ethnicity=""), h, warnings=["民族：为空，已按汉族导入，请核对。"]),
        new(person(5), h),
    ]
    out.append(Roster("empty_optional_cells", "empty 入党时间, 学位, 籍贯, phone, 民族", h, rows))

    # 13. A wrong ID check digit among good rows: nothing is written.
    p = person(1)
    wrong = p.id[:17] + ("0" if p.id[17] != "0" else "1")
    rows = [
        new(person(0), h),
        refused(p, h, [bad("公民身份号码", mask(wrong), CHECKSUM)], 公民身份号码=wrong),
        new(person(2), h),
    ]
    out.append(Roster("bad_checksum", "one ID with a wrong check character", h, rows))

    # 14. Birth date against the ID.
    p = person(1)
    other = p.birth.replace(year=p.birth.year - 1)
    rows = [
        new(person(0), h),
        refused(
            p,
            h,
            [bad("出生年月", f"{other:%Y.%m}", f"与身份证号码中的出生日期（{p.birth.isoformat()}）不符")],
            出生年月=f"{other:%Y.%m}",
        ),
    ]
    out.append(Roster("birth_against_id", "birth date contradicts the ID", h, rows))

    # 15. Another township's village and a village nobody has.
    rows = [
        new(person(0), h),
        refused(person(1), h, [bad("村(社区)", "西南村", "是关公镇的村，不是明阳镇的村")], **{"村(社区)": "西南村"}),
        refused(person(2), h, [bad("村(社区)", "幸福村", "不是明阳镇的村（社区）")], **{"村(社区)": "幸福村"}),
        new(person(3), h, **{"村(社区)": "骑龙山村委会"}),
        new(person(4), h, **{"村(社区)": "双凤"}),
    ]
    out.append(Roster("villages", "another township's village, an unknown one, 村委会 spellings", h, rows))

    # 16. The same ID twice in the file.
    p = person(0)
    twin = Person(**{**p.__dict__, "name": "重复者"})
    rows = [
        new(p, h),
        new(person(1), h),
        refused(twin, h, [bad("公民身份号码", mask(p.id), "与第 2 行的公民身份号码重复")]),
    ]
    out.append(Roster("duplicate_in_file", "one ID on two rows", h, rows, titles=[]))

    # 17. A value that matches no code, and one that matches two.
    rows = [
        new(person(0), h),
        refused(person(1, political="无党派人"), h, [bad("政治面貌", "无党派人", NOT_CODE)]),
        refused(
            person(2, education="大学"),
            h,
            [
                bad(
                    "学历",
                    "大学",
                    "可能是大学本科毕业、大学本科结业、大学本科肄业、大学普通班毕业、大学专科毕业、大学专科结业、大学专科肄业中的任一项，请写明是哪一项",
                )
            ],
        ),
        refused(person(3, source="能人"), h, [bad("人员类别", "能人", NOT_CODE)]),
    ]
    out.append(Roster("unknown_and_ambiguous_codes", "无党派人, 大学, 能人", h, rows))

    # 18. Bad phones and bad dates.
    rows = [
        new(person(0), h),
        refused(person(1, phone="0827-5212345"), h, [bad("联系电话", mask("0827-5212345"), NOT_MOBILE)]),
        refused(person(2, phone="1381234567"), h, [bad("联系电话", mask("1381234567"), NOT_MOBILE)]),
        refused(member(3, entry="去年七一"), h, [bad("入党时间", "去年七一", NOT_DATE)]),
        refused(person(4), h, [bad("出生年月", "1990.13", "没有这个日期")], 出生年月="1990.13"),
    ]
    out.append(Roster("bad_phones_and_dates", "landline, short phone, text and impossible dates", h, rows))

    # 19. Missing required cells.
    rows = [
        new(person(0), h),
        refused(person(1), h, [empty("姓名")], name="", 姓名=""),
        refused(person(2), h, [empty("公民身份号码")], 公民身份号码=""),
        refused(person(3), h, [empty("人员类别"), empty("政治面貌")], 人员类别="", 政治面貌=""),
        refused(person(4), h, [empty("学历")], 学历="/"),
    ]
    out.append(Roster("missing_required_cells", "no name, no ID, no category, no education", h, rows))

    # 20. A roster without the 人员类别 column is refused as a whole, once.
    h20 = [x for x in h if x != "人员类别"]
    out.append(
        Roster(
            "no_category_column",
            "no 人员类别 column",
            h20,
            [new(person(0), h20)],
            rejected="表中没有人员类别列：请加上这些列后重新上传。",
        )
    )

    # 21. Unread columns are named once; marital status is not stored.
    h21 = [*h, "婚姻状况", "身高"]
    rows = [new(person(i), h21, 身高="170") for i in range(3)]
    out.append(
        Roster("unread_columns", "婚姻状况 and 身高 columns", h21, rows, notes=[note_unread("婚姻状况", "身高")])
    )

    # 22. Party members: 预备党员, dates as 2019年7月, 群众 with 入党时间 "无".
    rows = [
        new(member(0, entry="2019年7月"), h),
        new(person(1, political="预备党员", entry="2025.06"), h),
        new(person(2, political="群众", entry="无"), h),
        refused(person(3, political="群众", entry="2010.07"), h, [bad("入党时间", "2010.07", "非党员不填写入党时间")]),
    ]
    out.append(Roster("party_members", "预备党员, 无 in 入党时间, a 群众 with a date", h, rows))

    # 23. The whole township name in the 乡镇 column, and another township.
    h23 = ["乡镇(街道)", *h]
    rows = [
        new(person(0), h23, **{"乡镇(街道)": "明阳镇"}),
        new(person(1), h23, **{"乡镇(街道)": "恩阳区明阳镇"}),
        refused(person(2), h23, [bad("乡镇(街道)", "关公镇", "这里只能导入明阳镇的人员")], **{"乡镇(街道)": "关公镇"}),
    ]
    out.append(Roster("township_column", "乡镇 column with 明阳镇, 恩阳区明阳镇 and 关公镇", h23, rows))

    # 24. A person filed by another township already.
    p = person(1)
    p.id, p.birth = ELSEWHERE_ID, datetime.date(1988, 5, 5)
    rows = [
        new(person(0), h),
        refused(
            p, h, [bad("公民身份号码", mask(ELSEWHERE_ID), "该人员已在其他乡镇建档，不能重复导入")], 出生年月="1988.05"
        ),
    ]
    out.append(Roster("filed_elsewhere", "a person 关公镇 has filed", h, rows))

    # 25. Gender against the ID, and a formula.
    p = person(0)
    rows = [
        refused(
            p,
            h,
            [bad("性别", "女" if p.gender == "男" else "男", "性别与身份证号码不符")],
            性别="女" if p.gender == "男" else "男",
        ),
        refused(person(1), h, [bad("联系电话", "=A1", "单元格是公式，请改为粘贴数值")], 联系电话="=A1"),
        new(person(2), h),
    ]
    out.append(Roster("gender_and_formula", "gender against the ID, a formula", h, rows))

    # 26. A messy combination: titles, two-row header, full-width, dashes, short names, total, blank.
    rows = []
    for i in range(6):
        p = person(
            i,
            education=["大专", "本科", "中专"][i % 3],
            political=["党员", "群众"][i % 2],
            entry="2022.05" if i % 2 == 0 else None,
        )
        rows.append(
            new(
                p,
                h6,
                序号=i + 1,
                公民身份号码=full_width(p.id) if i % 2 else p.id,
                联系电话=f"{p.phone[:3]}-{p.phone[3:7]}-{p.phone[7:]}",
                **{
                    "学历（全日制教育）": p.education,
                    "学历（在职教育）": "",
                    "学位": "学士" if p.education == "本科" else None,
                },
            )
        )
        if i == 2:
            rows.append(skipped({}, SKIP_BLANK))
    rows.append(skipped({"序号": "合计", "姓名": "6人"}, SKIP_TOTAL))
    out.append(
        Roster(
            "messy_combination",
            "all habits at once",
            h6,
            rows,
            group_row=(group, sub),
            titles=["恩阳区明阳镇", "村级后备力量人选花名册", "单位：明阳镇党委"],
        )
    )

    # 27. Same messy roster with three real errors among 12: exactly those three are refused.
    rows = []
    for i in range(12):
        p = person(i, education=["大专", "高中"][i % 2])
        if i == 3:
            wrong = p.id[:17] + ("0" if p.id[17] != "0" else "1")
            rows.append(refused(p, h1, [bad("公民身份号码", mask(wrong), CHECKSUM)], 公民身份号码=wrong))
        elif i == 7:
            rows.append(
                refused(p, h1, [bad("村(社区)", "西南村", "是关公镇的村，不是明阳镇的村")], **{"村(社区)": "西南村"})
            )
        elif i == 10:
            rows.append(refused(p, h1, [bad("学历", "大专科", NOT_CODE)], 学历="大专科"))
        else:
            rows.append(new(p, h1, 联系电话=f"{p.phone[:3]}-{p.phone[3:7]}-{p.phone[7:]}"))
    rows.append(skipped({"序号": "合计：12人"}, SKIP_TOTAL))
    out.append(Roster("three_real_errors", "three real problems among 12 rows", h1, rows))

    # 28. Excel kept the ID as a number and lost digits.
    p = person(1)
    rows = [
        new(person(0), h),
        refused(
            p,
            h,
            [
                bad(
                    "公民身份号码",
                    mask(str(int(float(p.id)))),
                    "身份证号码被 Excel 存成了数字，末几位已经丢失，请把该列设为“文本”后重新填写",
                )
            ],
            公民身份号码=float(p.id),
        ),
    ]
    if int(float(p.id)) == int(p.id):  # exactly representable after all: then the row is fine
        rows[1] = new(p, h, 公民身份号码=float(p.id))
    out.append(Roster("id_as_number", "an ID number Excel rounded", h, rows))

    # 29. Only a header and a total: nothing to import.
    out.append(
        Roster("nothing_to_import", "a header and a total only", h, [skipped({"序号": "合计", "姓名": 0}, SKIP_TOTAL)])
    )

    # 30. Health, degree and ethnicity by short names; 1990.1 resolved by the ID.
    h30 = [*h, "健康状况"]
    rows = []
    for i, (health, ethnicity) in enumerate([("健康", "汉"), ("良好", "回"), ("一般", "土家")]):
        p = person(i, ethnicity=ethnicity)
        rows.append(new(p, h30, 健康状况=health))
    p = person(3, birth=datetime.date(1990, 10, 8), id=id_number(datetime.date(1990, 10, 8), 511))
    rows.append(new(p, h30, 健康状况="健康", 出生年月=1990.1))
    out.append(Roster("health_and_ethnicity", "健康/良好/一般, 回, 土家, 1990.1", h30, rows))

    # 31. A roster without 姓名 and 身份证 headings is refused.
    h31 = ["名单", "电话", "村"]
    out.append(
        Roster(
            "no_header",
            "no recognisable header",
            h31,
            [Row({"名单": "张三", "电话": "13800000000", "村": "骑龙山村"}, "error")],
            rejected="没有找到表头行：工作表至少需要“姓名”和“公民身份号码”两列。",
        )
    )

    # 32. A numbered template: 序号 as a formula, and numbered rows nobody filled in.
    rows = [new(person(i), h, 序号="=ROW()-2") for i in range(3)]
    rows += [skipped({"序号": n}, SKIP_SEQ) for n in (4, 5, 6)]
    out.append(Roster("numbered_template", "序号 by formula, numbered empty rows", h, rows))
    return out


def write(roster: Roster, number: int) -> dict:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    width = len(roster.headings)
    for title in roster.titles:
        sheet.append([title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    if roster.group_row:
        top, sub = roster.group_row
        sheet.append(top)
        sheet.append(sub)
        first = sheet.max_row - 1
        for column, (upper, lower) in enumerate(zip(top, sub, strict=True), start=1):
            if upper and lower is None:
                sheet.merge_cells(start_row=first, start_column=column, end_row=first + 1, end_column=column)
        merged = [c for c, value in enumerate(top, start=1) if value is None]
        for column in merged:
            sheet.merge_cells(start_row=first, start_column=column - 1, end_row=first, end_column=column)
    else:
        sheet.append(roster.headings)
    header_end = sheet.max_row
    expected = []
    for row in roster.rows:
        sheet.append([row.cells.get(heading) for heading in roster.headings])
        number_in_sheet = sheet.max_row
        expected.append(
            {
                "row": number_in_sheet,
                "name": row.name,
                "outcome": row.outcome,
                "errors": row.errors,
                "warnings": row.warnings,
                "reason": row.reason,
            }
        )
    for line in roster.footer:
        sheet.append(line)
    name = f"{number:02d}_{roster.slug}.xlsx"
    workbook.save(OUT / name)
    return {
        "file": name,
        "about": roster.about,
        "header_rows": list(range(header_end - (1 if roster.group_row else 0), header_end + 1)),
        "rejected": roster.rejected,
        "notes": roster.notes,
        "rows": [] if roster.rejected else expected,
        "elsewhere": ELSEWHERE_ID if roster.slug == "filed_elsewhere" else "",
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.xlsx"):
        old.unlink()
    expectations = [write(roster, number) for number, roster in enumerate(rosters(), start=1)]
    (OUT / "expectations.json").write_text(
        json.dumps(expectations, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(expectations)} rosters written to {OUT}")


if __name__ == "__main__":
    main()
