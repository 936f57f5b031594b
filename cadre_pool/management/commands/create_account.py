import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cadre_pool.models import OrgUnit, Role, User


class Command(BaseCommand):
    help = (
        "Create an account bound to a unit. The password is asked for twice "
        "(or read from CADRE_PASSWORD for scripted installs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", dest="unit_code", help="12-digit division code of the user's unit")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username, role, unit_code, full_name, **options):
        unit = None
        if unit_code:
            unit = OrgUnit.objects.filter(code=unit_code).first()
            if unit is None:
                raise CommandError(f"找不到区划代码为 {unit_code} 的单位：请先载入区划。")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名 {username} 已存在。")
        # The administrator knows this password: its owner chooses their own at first sign-in.
        user = User(username=username, role=role, unit=unit, full_name=full_name, must_change_password=True)
        password = os.environ.get("CADRE_PASSWORD") or self._ask_password()
        try:
            user.set_password(password)
            validate_password(password, user)
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        with transaction.atomic():
            user.save()
        self.stdout.write(f"已创建账号 {username}（{user.get_role_display()}）。")

    def _ask_password(self) -> str:
        first = getpass.getpass("密码 Password: ")
        if first != getpass.getpass("再次输入 Again: "):
            raise CommandError("两次输入的密码不一致。")
        return first
