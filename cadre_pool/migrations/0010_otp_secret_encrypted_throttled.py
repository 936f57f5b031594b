"""TOTP secrets move from a clear column to a Fernet-encrypted one, keyed by OTP_ENCRYPTION_KEY.

Enrolled users keep their authenticator: each clear secret is encrypted in place, so the codes their
apps show stay valid. django-otp's throttling fields come with the device.
"""

from cryptography.fernet import Fernet
from django.conf import settings
from django.db import migrations, models


def encrypt_secrets(apps, schema_editor):
    fernet = Fernet(settings.OTP_ENCRYPTION_KEY)
    OTPDevice = apps.get_model("cadre_pool", "OTPDevice")
    for device in OTPDevice.objects.all():
        device.encrypted_secret = fernet.encrypt(device.secret.encode()).decode()
        device.save(update_fields=["encrypted_secret"])


def decrypt_secrets(apps, schema_editor):
    fernet = Fernet(settings.OTP_ENCRYPTION_KEY)
    OTPDevice = apps.get_model("cadre_pool", "OTPDevice")
    for device in OTPDevice.objects.all():
        device.secret = fernet.decrypt(device.encrypted_secret.encode()).decode()
        device.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("cadre_pool", "0009_code_synonyms"),
    ]

    operations = [
        migrations.AddField(
            model_name="otpdevice",
            name="encrypted_secret",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="otpdevice",
            name="throttling_failure_count",
            field=models.PositiveIntegerField(default=0, help_text="Number of successive failed attempts."),
        ),
        migrations.AddField(
            model_name="otpdevice",
            name="throttling_failure_timestamp",
            field=models.DateTimeField(
                blank=True,
                default=None,
                help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                null=True,
            ),
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.RemoveField(
            model_name="otpdevice",
            name="secret",
        ),
    ]
