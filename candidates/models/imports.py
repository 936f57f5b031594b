"""Roster imports: one uploaded file, previewed, then confirmed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadre_pool.access.scoping import ScopedQuerySet
from cadre_pool.models import (
    OrgUnit,
)
from cadre_pool.storage import private_storage


class ImportBatchQuerySet(ScopedQuerySet):
    def _visible_to(self, user):
        # An uploaded workbook holds personal data: only the person who uploaded it sees it.
        return self.filter(owner=user) if user.is_authenticated else self.none()


class ImportBatch(models.Model):
    """An uploaded workbook between its preview and its import."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed")
        IMPORTED = "imported", _("imported")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(storage=private_storage, upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=200)
    file_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name
