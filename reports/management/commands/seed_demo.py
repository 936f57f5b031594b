from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import seed_management
from cadre_pool.models import OrgUnit
from cadre_pool.org.reference import load_code_tables
from candidates.demo import DEMO_PASSWORD, DISTRICT_CODE, ensure_demo_accounts, seed_candidates, seed_intake
from mentorship.demo import seed_cultivation


class Command(BaseCommand):
    help = "Create the demo district's accounts and made-up candidates (deterministic and idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=480, help="number of candidates (default 480)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="allow demo accounts with a published password while DEBUG is off",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG 未开启：演示账号的密码是公开的，生产环境不得创建（如确需，请加 --allow-production）。"
            )
        if options["candidates"] < 0:
            raise CommandError("--candidates 不能为负数。")
        if not OrgUnit.objects.filter(code="511903000000").exists():
            raise CommandError("尚未载入恩阳区区划：请先运行 manage.py load_reference_data。")
        load_code_tables()
        accounts = ensure_demo_accounts()
        created = seed_candidates(count=options["candidates"], seed=options["seed"])
        seed_intake(seed=options["seed"])
        self.stdout.write(f"演示数据：新增后备力量 {created} 人（已有的保持不变）。")
        mentors = seed_cultivation(seed=options["seed"], district_code=DISTRICT_CODE)
        if mentors:
            self.stdout.write(f"演示数据：新增成长导师 {mentors} 人及其帮带、岗位锻炼、挂职记录。")
        if seed_management(seed=options["seed"], district_code=DISTRICT_CODE):
            self.stdout.write("演示数据：新增考察识别、决定记录和一批进行中的“回头看”。")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for account, _created in accounts:
            self.stdout.write(f"  {account.username:<10} {account.full_name}")
