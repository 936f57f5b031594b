"""Evidence uploads: the type is read from the file's first bytes, never from its name."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Magic numbers of the formats we accept, and the extension we store them under.
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
]


def sniff(upload: UploadedFile) -> tuple[str, str] | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The content type and extension of an acceptable upload; a ValidationError in Chinese otherwise."""
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name}, code="empty")
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
            code="too_large",
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a JPEG or PNG image or a PDF file.") % {"name": upload.name}, code="file_type"
        )
    return kind


def storage_name(extension: str) -> str:
    # A random name: the user's file name is kept only as a label.
    return f"{uuid.uuid4().hex}.{extension}"
