"""The audit trail's one way in (S9). See docs/security.md, "Audit API".

    from cadre_pool import audit
    audit.record(request, action=audit.AuditAction.UPDATE, obj=candidate,
                 before=before, after=audit.snapshot(candidate), reason="...")

`record` writes exactly one `AuditEvent` and returns it. It joins the caller's transaction: a
service that records inside `transaction.atomic()` and then fails leaves no audit row for the
work that did not happen (record refusals outside the failed transaction, with `success=False`).
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import ipaddress
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from cadre_pool import bulk
from cadre_pool.audit.models import AuditAction, AuditEvent
from cadre_pool.personal import mask_id_number, mask_mobile, mask_values

__all__ = ["AuditAction", "audited", "client_ip", "diff", "prune", "record", "record_created", "refused", "snapshot"]

# Rows about these models, and these actions whatever their object, process personal information
# and are kept `AUDIT_PERSONAL_INFO_RETENTION_DAYS` (three years); the rest `AUDIT_RETENTION_DAYS`.
PERSONAL_INFO_APPS = frozenset({"candidates", "mentorship", "assessments"})
PERSONAL_INFO_ACTIONS = frozenset(
    {AuditAction.EXPORT, AuditAction.IMPORT, AuditAction.REVEAL, AuditAction.POOL_MOVE, AuditAction.DECISION}
)
# Field values that `snapshot` stores masked: the audit log must not become a copy of the ID register.
MASKED_FIELDS = frozenset({"id_number", "phone"})
# Floors that neither settings nor the database trigger let pruning go below.
MIN_RETENTION_DAYS = 184
MIN_PERSONAL_INFO_RETENTION_DAYS = 3 * 365 + 1


# The request being served, so service functions (which take no request) still record the IP.
_current_request: contextvars.ContextVar = contextvars.ContextVar("cadre_current_request", default=None)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
            # Written after the view, outside any transaction it rolled back.
            for (object_type, object_id), actor in getattr(request, "cadre_refusals", {}).items():
                record(
                    request,
                    action=AuditAction.ACCESS_DENIED,
                    actor=actor,
                    object_type=object_type,
                    object_id=object_id,
                    success=False,
                    path=request.path[:300],
                )


def refused(actor, model, object_id) -> None:
    """Note that `actor` asked for a row outside their scope (they get a 404); one audit row per object.

    During a request the row is written when the view has answered, so a service transaction that
    rolls back on the refusal does not take the audit row with it.
    """
    object_type = model._meta.label_lower
    request = _current_request.get()
    if request is None:
        record(
            None,
            action=AuditAction.ACCESS_DENIED,
            actor=actor,
            object_type=object_type,
            object_id=object_id,
            success=False,
        )
        return
    if not hasattr(request, "cadre_refusals"):
        request.cadre_refusals = {}
    request.cadre_refusals.setdefault((object_type, str(object_id)), actor)


def audited(action: str):
    """Record one `action` row about the object a service function returns, in its transaction.

    The service's `actor` keyword is the actor; the row joins the service's transaction, so work
    that rolls back leaves no row. Creations store the new object's values as `after`.
    """

    def decorator(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            result = service(*args, **kwargs)
            obj = result if isinstance(result, Model) else None
            after = snapshot(obj) if obj is not None and action == AuditAction.CREATE else None
            record(action=action, actor=kwargs.get("actor"), obj=obj, after=after, service=service.__name__)
            return result

        return wrapper

    return decorator


def client_ip(request) -> str | None:
    """The client's address from `AUDIT_IP_HEADER` (REMOTE_ADDR, or the proxy's header behind nginx)."""
    if request is None:
        request = _current_request.get()
    if request is None:
        return None
    raw = request.META.get(settings.AUDIT_IP_HEADER) or request.META.get("REMOTE_ADDR") or ""
    raw = raw.split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _mask(field: str, value: Any) -> Any:
    if not value or field not in MASKED_FIELDS:
        return value
    return mask_id_number(value) if field == "id_number" else mask_mobile(value)


def snapshot(instance: Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance` as a JSON-ready dict (foreign keys as ids), ID and phone masked."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.name] = _mask(field.name, field.value_from_object(instance))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ: `(before, after)` ready for `record`."""
    keys = [key for key in after.keys() | before.keys() if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in sorted(keys)}, {key: after.get(key) for key in sorted(keys)}


def record(
    request=None,
    *,
    action: str,
    actor=None,
    obj: Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    success: bool = True,
    personal_info: bool | None = None,
    **extra: Any,
) -> AuditEvent:
    """Write one audit row and return it.

    `request` (or None in commands and services without one) gives the IP and, unless `actor` is
    passed, the signed-in user. `obj` fills the object type ("app_label.model"), id and label;
    pass `object_type`/`object_id`/`object_label` instead for things that are not model rows (a
    username typed at sign-in). Any other keyword lands in `extra` (row counts, filters, file hash,
    reason...). `personal_info` overrides the retention classification.
    """
    event = _event(
        request,
        action=action,
        actor=actor,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        before=before,
        after=after,
        success=success,
        personal_info=personal_info,
        extra=extra,
    )
    event.save(force_insert=True)
    return event


def record_created(*, actor, objects: list[Model], batch_size: int = 1000, **extra: Any) -> list[AuditEvent]:
    """One creation row per object, the row `@audited(AuditAction.CREATE)` writes, inserted together.

    For services that create many rows at once (the import); the rows join the caller's transaction.
    """
    events = [
        _event(None, action=AuditAction.CREATE, actor=actor, obj=obj, after=snapshot(obj), extra=extra)
        for obj in objects
    ]
    return bulk.insert(events, batch_size=batch_size)


def _event(
    request,
    *,
    action: str,
    actor,
    obj: Model | None,
    object_type: str = "",
    object_id: Any = "",
    object_label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    success: bool = True,
    personal_info: bool | None = None,
    extra: dict[str, Any],
) -> AuditEvent:
    """The unsaved audit row that `record` writes."""
    if action not in AuditAction:
        raise ValueError(f"Unknown audit action {action!r}: add it to cadre_pool.audit.models.AuditAction.")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)
    if personal_info is None:
        personal_info = action in PERSONAL_INFO_ACTIONS or object_type.split(".")[0] in PERSONAL_INFO_APPS
    return AuditEvent(
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=(str(actor) if actor is not None else "")[:200],
        actor_role=getattr(actor, "role", "") or "",
        ip=client_ip(request),
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id)[:64],
        object_label=mask_values(str(object_label))[:200],
        success=success,
        # What users typed (a search, a filter, a note) may hold an ID or phone number.
        before=mask_values(before),
        after=mask_values(after),
        extra=mask_values(extra),
        personal_info=personal_info,
    )


# The transaction-local PostgreSQL setting that the append-only trigger checks before it lets a
# DELETE through; only `prune` sets it, and the trigger still refuses rows younger than the floors.
PRUNE_SETTING = "cadre.audit_prune"


def prune(*, now=None) -> int:
    """Delete rows past their retention period; returns how many. Used by `manage.py prune_audit`."""
    now = now or timezone.now()
    days = max(settings.AUDIT_RETENTION_DAYS, MIN_RETENTION_DAYS)
    pi_days = max(settings.AUDIT_PERSONAL_INFO_RETENTION_DAYS, MIN_PERSONAL_INFO_RETENTION_DAYS)
    general_cutoff = now - datetime.timedelta(days=days)
    pi_cutoff = now - datetime.timedelta(days=pi_days)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PRUNE_SETTING])
        # An audit row has no dependants and no delete signals: each delete() is one DELETE statement.
        count, _by_model = AuditEvent.objects.filter(created_at__lt=general_cutoff, personal_info=False).delete()
        count_pi, _by_model = AuditEvent.objects.filter(created_at__lt=pi_cutoff, personal_info=True).delete()
        count += count_pi
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', true)", [PRUNE_SETTING])
        record(
            None,
            action=AuditAction.AUDIT_PRUNE,
            deleted=count,
            general_cutoff=general_cutoff,
            personal_info_cutoff=pi_cutoff,
        )
    return count
