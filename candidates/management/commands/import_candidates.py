from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cadre_pool.models import OrgUnit, Role, User
from candidates.importing import FileRejected, run_import


class Command(BaseCommand):
    help = "Import candidates from an .xlsx workbook into one township: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--township", required=True, help="12-digit division code of the township")
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
        parser.add_argument(
            "--user", help="username recorded as the importer (default: the district staff above the township)"
        )

    def handle(self, *args, file, township, dry_run, user, **options):
        unit = OrgUnit.objects.townships().filter(code=township).first()
        if unit is None:
            raise CommandError(f"找不到区划代码为 {township} 的乡镇（街道）。")
        actor = self._actor(unit, user)
        try:
            content = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        try:
            report = run_import(actor=actor, content=content, township=unit, commit=not dry_run)
        except FileRejected as exc:
            raise CommandError("文件被拒绝：" + "；".join(exc.messages)) from exc
        for row, column, reason in report.errors:
            self.stderr.write(f"第 {row} 行 {column}：{reason}")
        summary = f"新增 {report.count('new')} 人，更新 {report.count('update')} 人，有错 {report.count('error')} 行"
        if report.errors:
            raise CommandError(f"未导入任何数据（{summary}）。")
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
