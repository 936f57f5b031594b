"""What an information file should hold beyond what it must hold to exist.

A file can be saved without these (an imported roster often lacks them), but it is then
incomplete: the candidate list filters such files, the file page names what is missing and the
to-do list asks for it. Each check is written twice, as a query condition for lists and as a test
of one loaded file, and `tests/candidates/test_completeness.py` keeps the two in agreement.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadre_pool.models import PARTY_MEMBER_CODES

# Graduates of a doctorate, a master's or a bachelor's course (GB/T 4658) normally hold a degree;
# 专科 and lower, and those who did not finish, do not.
DEGREE_EDUCATION_CODES = frozenset({"11", "14", "21"})


@dataclass(frozen=True)
class Check:
    field: str
    label: str
    missing: Q
    is_missing: Callable


CHECKS = (
    Check(
        field="party_entry_date",
        label=_("party entry date"),
        missing=Q(political_status_id__in=PARTY_MEMBER_CODES, party_entry_date__isnull=True),
        is_missing=lambda c: c.political_status_id in PARTY_MEMBER_CODES and c.party_entry_date is None,
    ),
    Check(
        field="phone",
        label=_("mobile phone"),
        missing=Q(phone=""),
        is_missing=lambda c: not c.phone,
    ),
    Check(
        field="degree",
        label=_("degree"),
        missing=Q(education_id__in=DEGREE_EDUCATION_CODES, degree__isnull=True),
        is_missing=lambda c: c.education_id in DEGREE_EDUCATION_CODES and c.degree_id is None,
    ),
    Check(
        field="native_place",
        label=_("native place"),
        missing=Q(native_place=""),
        is_missing=lambda c: not c.native_place,
    ),
)


def incomplete_condition() -> Q:
    """Candidates whose file lacks at least one of the CHECKS."""
    condition = Q()
    for check in CHECKS:
        condition |= check.missing
    return condition


def missing_information(candidate) -> list[Check]:
    """The checks this file fails, in the order of CHECKS."""
    return [check for check in CHECKS if check.is_missing(candidate)]
