from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from cadre_pool.models import OrgUnit, User
from cadre_pool.org.reference import load_code_tables
from reports.scale import PROVINCE_CODE, Seeder, scale_accounts


class Command(BaseCommand):
    help = (
        "Fill a PostgreSQL database with a made-up country-sized installation for measuring performance "
        "(one synthetic province, ~30,000 villages, a million candidates by default). Use a database of its "
        "own, e.g. cadre_scale; `make bench` calls this."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=11643)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (it loads with COPY).")
        if options["candidates"] < 1000:
            raise CommandError("--candidates must be at least 1000.")
        if OrgUnit.objects.filter(code=PROVINCE_CODE).exists():
            raise CommandError(
                f"This database already holds the synthetic province {PROVINCE_CODE}: drop the database "
                "(or let `make bench` do it) before seeding again."
            )
        load_code_tables()
        result = Seeder(candidates=options["candidates"], seed=options["seed"], log=self.stdout.write).run()
        # Accounts for the bench (signed in without a password: every account here is unusable).
        for username, (role, code) in scale_accounts().items():
            User.objects.update_or_create(
                username=username,
                defaults={
                    "role": role,
                    "unit": OrgUnit.objects.get(code=code),
                    "full_name": username,
                    "password": make_password(None),
                    "password_changed_at": timezone.now(),
                },
            )
        self.stdout.write(f"Seeded {result['candidates']:,} candidates in {result['seconds']} s.")
