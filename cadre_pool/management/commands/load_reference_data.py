from django.core.management.base import BaseCommand

from cadre_pool.org.reference import DEFAULT_DIVISIONS_FILE, load_code_tables, load_divisions


class Command(BaseCommand):
    help = "Load the national code tables and the default district's divisions (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-divisions", action="store_true", help="load the code tables only")

    def handle(self, *args, **options):
        counts = load_code_tables()
        self.stdout.write("代码表已载入：" + "，".join(f"{name} {n} 条" for name, n in counts.items()))
        if not options["no_divisions"]:
            result = load_divisions(DEFAULT_DIVISIONS_FILE)
            self.stdout.write(f"默认区划已载入：新增 {result['created']} 个，更新 {result['updated']} 个。")
