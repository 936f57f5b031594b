from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cadre_pool.models import OrgUnit, Role, User
from candidates.importing import FileRejected, run_import
from candidates.normalise import header_key


def find_township(wanted: str) -> OrgUnit:
    """A township by its 12-digit division code, its name or short name (明阳镇), or its district's name
    before it (恩阳区明阳镇) where two districts of the installation have a township of that name."""
    key = header_key(wanted)
    townships = OrgUnit.objects.townships().select_related("parent")
    if key.isdigit():
        unit = townships.filter(code=key).first()
        if unit is None:
            raise CommandError(f"找不到区划代码为 {wanted} 的乡镇（街道）。")
        return unit
    matches = []
    for unit in townships:
        names = {header_key(n) for n in (unit.name, unit.short_name) if n}
        districts = {header_key(n) for n in (unit.parent.name, unit.parent.short_name) if unit.parent and n}
        if key in names or any(key == district + name for district in districts for name in names):
            matches.append(unit)
    if not matches:
        raise CommandError(f"找不到名为“{wanted}”的乡镇（街道）：请写乡镇全称（如 明阳镇）或 12 位区划代码。")
    if len(matches) > 1:
        listed = "、".join(f"{unit.parent}{unit.name}（{unit.code}）" for unit in matches)
        raise CommandError(f"“{wanted}”有 {len(matches)} 个同名乡镇：{listed}。请在前面加上区县名，或写区划代码。")
    return matches[0]


class Command(BaseCommand):
    help = "Import candidates from an .xlsx workbook into one township: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--township",
            required=True,
            help="the township's name (明阳镇; 恩阳区明阳镇 where names repeat) or its 12-digit division code",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
        parser.add_argument(
            "--user", help="username recorded as the importer (default: the district staff above the township)"
        )

    def handle(self, *args, file, township, dry_run, user, **options):
        unit = find_township(township)
        actor = self._actor(unit, user)
        try:
            content = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        try:
            report = run_import(actor=actor, content=content, township=unit, commit=not dry_run)
        except FileRejected as exc:
            raise CommandError("文件被拒绝：" + "；".join(exc.messages)) from exc
        for note in report.notes:
            self.stdout.write(note)
        for row, reason in report.skipped:
            self.stdout.write(f"第 {row} 行 已跳过：{reason}")
        for row, _column, message in report.warnings:
            self.stdout.write(f"第 {row} 行 提示：{message}")
        for row, _column, message in report.errors:
            self.stderr.write(f"第 {row} 行 错误：{message}")
        summary = (
            f"{unit.name}（{unit.code}）：新增 {report.count('new')} 人，更新 {report.count('update')} 人，"
            f"有错 {report.count('error')} 行，跳过 {report.count('skipped')} 行"
        )
        if report.errors:
            raise CommandError(f"未导入任何数据（{summary}）。")
        if not report.ok:
            raise CommandError(f"表中没有可导入的人员（{summary}）。")
        verb = "检查通过（未写入）" if dry_run else "已导入"
        self.stdout.write(f"{verb}：{summary}。")

    def _actor(self, unit: OrgUnit, username: str | None) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).select_related("unit").first()
            if actor is None:
                raise CommandError(f"找不到启用中的用户 {username}。")
            return actor
        for actor in User.objects.filter(role=Role.DISTRICT_STAFF, is_active=True).select_related("unit"):
            if actor.unit and unit.path.startswith(actor.unit.path):
                return actor
        raise CommandError("没有可作为导入人的区委组织部账号：请用 --user 指定。")
