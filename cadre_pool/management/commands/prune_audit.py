from django.conf import settings
from django.core.management.base import BaseCommand

from cadre_pool.accounts.auth import prune_login_locks
from cadre_pool.audit import MIN_PERSONAL_INFO_RETENTION_DAYS, MIN_RETENTION_DAYS, prune


class Command(BaseCommand):
    help = (
        "Delete audit rows past their retention: AUDIT_RETENTION_DAYS (at least 184) in general, "
        "AUDIT_PERSONAL_INFO_RETENTION_DAYS (at least three years) for personal-information processing records; "
        "also sign-in failure counters that no longer lock anything."
    )

    def handle(self, *args, **options):
        count = prune()
        days = max(settings.AUDIT_RETENTION_DAYS, MIN_RETENTION_DAYS)
        pi_days = max(settings.AUDIT_PERSONAL_INFO_RETENTION_DAYS, MIN_PERSONAL_INFO_RETENTION_DAYS)
        self.stdout.write(
            f"Deleted {count} audit rows (kept {days} days; personal-information records {pi_days} days)."
        )
        self.stdout.write(f"Deleted {prune_login_locks()} stale sign-in failure counters.")
