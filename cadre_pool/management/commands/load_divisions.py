from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cadre_pool.org.reference import load_divisions


class Command(BaseCommand):
    help = "Load or update organisation units from a division CSV (code,name,level,parent_code,short_name)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the division CSV file")

    def handle(self, *args, **options):
        try:
            counts = load_divisions(options["file"])
        except FileNotFoundError as exc:
            raise CommandError(f"找不到区划文件：{options['file']}") from exc
        except ValidationError as exc:
            raise CommandError("区划文件有误，未写入任何数据：\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(f"区划已载入：新增 {counts['created']} 个，更新 {counts['updated']} 个。")
