"""Input validation on every form (S13), with Hypothesis.

Every Form and ModelForm class in the project is found by importing the apps' modules, so a new
form is fuzzed without touching this file; forms that need constructor arguments (`user=`,
`candidate=`, `allowed=`...) get them from `KWARGS` below, and a form whose arguments are unknown
fails `test_every_form_can_be_built`. Bound forms get random text (Chinese, control characters,
NUL bytes, very long strings), numbers, impossible dates, lists and files: `is_valid()` must
return a bool and never raise, and each field's `clean()` raises nothing but ValidationError.

Then properties of the rules themselves: GB 11643 ID numbers (every valid one accepted, every
single-character change refused, birth date and gender agreeing), mainland mobile numbers, and
birth < party entry ≤ today.
"""

import contextlib
import datetime
import importlib
import inspect
import pkgutil
import unicodedata
from collections import Counter

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.forms import CandidateForm
from candidates.identity import age_on, id_check_char, normalise_id_number, normalise_mobile, validate_id_number
from tests.conftest import QILONGSHAN
from tests.site.test_mass_assignment import world  # noqa: F401  (the same records to build forms about)

pytestmark = [pytest.mark.reliability]

APPS = ("cadre_pool", "candidates", "mentorship", "assessments")
SKIP_MODULES = (".migrations", ".management", ".settings", ".wsgi", ".asgi")
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def project_forms() -> list[type[forms.BaseForm]]:
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(part in info.name for part in SKIP_MODULES):
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if inspect.isclass(obj) and issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                    if issubclass(obj, forms.BaseModelForm) and obj._meta.model is None:
                        continue  # a base the admin completes with its model (modelform_factory)
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[name] for name in sorted(found)]


FORMS = project_forms()


def _request(w):
    request = RequestFactory().post("/accounts/login/")
    request.session = {}
    return request


# Constructor arguments by parameter name; each form is built once per variant (organiser, district staff).
KWARGS = {
    "user": lambda w: [w["organiser"], w["staff"]],
    "candidate": lambda w: [w["mine"]],
    "allowed": lambda w: [["contacted", "willing", "proposed", "in_pool", "exited"]],
    "request": lambda w: [_request(w)],
}
# Existing rows for ModelForms that also edit (the edit page passes `instance=`).
INSTANCES = {
    "Candidate": "mine",
    "Contact": "contact",
    "VillageNeed": "need",
    "Mentor": "mentor",
    "Review": "review",
}


def variants(form_class, w) -> list[dict]:
    signature = inspect.signature(form_class.__init__)
    # Keyword-only arguments, and positional ones we know (the admin's password form takes `user` first).
    required = [
        p.name
        for p in signature.parameters.values()
        if p.default is p.empty
        and (p.kind == p.KEYWORD_ONLY or (p.kind == p.POSITIONAL_OR_KEYWORD and p.name in KWARGS))
    ]
    if issubclass(form_class, forms.BaseForm) and "request" in signature.parameters:
        required.append("request")
    options = [{}]
    for name in required:
        options = [{**option, name: value} for option in options for value in KWARGS[name](w)]
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if model is not None and model.__name__ in INSTANCES:
        options += [{**option, "instance": w[INSTANCES[model.__name__]]} for option in options]
    return options


# --- hostile input ---------------------------------------------------------------------------------

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "张\x01三\x1b[0m",
        "第一行\r\n第二行\t",
        "\u202e\u200b\ufeff",
        "NaN",
        "-inf",
        "1e999",
        "0x1F",
        "１２３",
        "٣",
        "-1",
        "0",
        "2147483648",
        "9" * 40,
        "0000-00-00",
        "9999-12-31",
        "10000-01-01",
        "2024-02-30",
        "1899-12-31",
        "0001-01-01",
        "2026-13-01",
        "null",
        "[]",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "𠮷野家",
        "x",
        "X",
        "511903199001011234",
    ]
)
CHINESE = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=30)
LONG = st.builds(lambda piece, n: (piece or "长") * n, st.text(min_size=1, max_size=3), st.integers(200, 4000))
NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
    st.decimals(allow_nan=True).map(str),
)
DATE = st.one_of(
    st.dates().map(datetime.date.isoformat),
    st.dates().map(lambda d: d.strftime("%Y/%m/%d")),
    st.builds("{}-{}-{}".format, st.integers(-5, 99999), st.integers(-1, 14), st.integers(-1, 40)),
)
ANY_TEXT = st.one_of(NASTY, st.text(max_size=60), CHINESE, LONG, NUMBER, DATE)


def _choices(field) -> list[str]:
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return [str(value) for value, _label in list(field.choices)[:40] if str(value) != ""]
    return []


def _files(draw, field) -> list:
    content = draw(st.one_of(st.binary(max_size=300), st.just(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)))
    name = draw(st.text(min_size=1, max_size=20).filter(lambda s: "\x00" not in s)) + ".pdf"
    return [SimpleUploadedFile(name, content)] * draw(st.integers(0, 2))


def hostile_data(draw, fields: dict) -> tuple[QueryDict, MultiValueDict]:
    """`fields`: {key: (field, its valid choices)}; each key gets 0–3 values, as a browser or a script may send."""
    data, files = QueryDict(mutable=True), MultiValueDict()
    for key, (field, choices) in fields.items():
        if isinstance(field, forms.FileField):
            files.setlist(key, _files(draw, field))
            continue
        value = st.one_of(ANY_TEXT, st.sampled_from(choices)) if choices else ANY_TEXT
        data.setlist(key, draw(st.lists(value, max_size=3)))
    return data, files


# --- every form --------------------------------------------------------------------------------------


def _name(form_class):
    return form_class.__qualname__


def test_forms_are_found_automatically():
    names = {_name(f) for f in FORMS}
    assert {"CandidateForm", "ContactForm", "SecondmentForm", "ReviewForm", "PromotionDecisionForm"} <= names
    assert {"AuditFilterForm", "CodeForm", "UploadForm", "AssignForm", "LoginForm"} <= names


def test_every_form_can_be_built(world):  # noqa: F811
    for form_class in FORMS:
        for kwargs in variants(form_class, world):
            form_class(data={}, **kwargs)


def fuzz(form_class, options, max_examples=40) -> Counter:
    figures = Counter()
    # The fields each variant shows and their valid choices, read once (querysets are not cheap).
    prepared = []
    for kwargs in options:
        form = form_class(data={}, **kwargs)
        hostile = QueryDict(mutable=True)
        for name in form.fields:
            hostile.setlist(form.add_prefix(name), ["\x00" + "长" * 3000, "9999-99-99"])
        form_class(data=hostile, **kwargs).render()
        prepared.append((kwargs, {form.add_prefix(n): (f, _choices(f)) for n, f in form.fields.items()}))

    @settings(FUZZ, max_examples=max_examples)
    @given(st.data())
    def run(draw):
        kwargs, fields = draw.draw(st.sampled_from(prepared))
        data, files = draw.draw(st.composite(lambda d: hostile_data(d, fields))())
        bound = form_class(data=data, files=files, **kwargs)
        figures["tried"] += 1
        try:
            valid = bound.is_valid()
            assert isinstance(valid, bool)
            # An invalid form is shown again with the bad input in it: that must render too. Lists of
            # choices are rendered once per variant below; here every other widget, every example.
            str(bound.errors)
            for name, field in bound.fields.items():
                if not isinstance(field.widget, forms.Select | forms.SelectMultiple | forms.RadioSelect):
                    str(bound[name])
        except Exception:
            figures["crashed"] += 1
            raise
        figures["valid" if valid else "refused"] += 1
        if valid and _name(form_class) not in NOT_STORED:
            _assert_no_control_characters(bound)
        for key, (field, _valid_choices) in fields.items():
            with contextlib.suppress(ValidationError):
                field.clean(data.get(key))

    run()
    return figures


# Forms whose text is a look-up or a credential, never stored: a search, a sign-in, a code.
NOT_STORED = {"AuditFilterForm", "LoginForm", "CodeForm", "UploadForm"}


def _assert_no_control_characters(form) -> None:
    """Text a form accepts has no control characters; only a multi-line field keeps line breaks and tabs."""
    for name, value in form.cleaned_data.items():
        field = form.fields.get(name)
        if not isinstance(value, str) or field is None or isinstance(field.widget, forms.PasswordInput):
            continue
        allowed = "\t\n\r" if isinstance(field.widget, forms.Textarea) else ""
        bad = [char for char in value if unicodedata.category(char) == "Cc" and char not in allowed]
        assert not bad, (type(form).__name__, name, value)


def test_random_input_never_crashes_a_form(world, reliability):  # noqa: F811
    totals = Counter()
    for form_class in FORMS:
        figures = fuzz(form_class, variants(form_class, world))
        reliability(
            f"form fuzz: {_name(form_class)}",
            tried=figures["tried"],
            succeeded=figures["valid"],
            refused=figures["refused"],
            leaked=figures["crashed"],
        )
        totals.update(figures, forms=1)
        assert figures["crashed"] == 0, form_class
        assert figures["tried"] >= 20, form_class
    reliability(
        "form fuzz: every form",
        tried=totals["tried"],
        succeeded=totals["valid"],
        refused=totals["refused"],
        leaked=totals["crashed"],
    )
    assert totals["forms"] == len(FORMS) >= 30


# --- GB 11643 ----------------------------------------------------------------------------------------

TODAY = timezone.localdate()
ADULT_BIRTHS = st.dates(min_value=datetime.date(1950, 1, 1), max_value=TODAY.replace(year=TODAY.year - 19))


@st.composite
def valid_ids(draw):
    region = draw(st.integers(110000, 659999))
    birth = draw(ADULT_BIRTHS)
    sequence = draw(st.integers(0, 999))
    body = f"{region:06d}{birth:%Y%m%d}{sequence:03d}"
    return body + id_check_char(body), birth, "1" if sequence % 2 else "2"


def single_changes(number: str):
    for position, current in enumerate(number):
        for replacement in "0123456789" + ("X" if position == 17 else ""):
            if replacement != current:
                yield number[:position] + replacement + number[position + 1 :]


@settings(max_examples=100, deadline=None, database=None)
@given(valid_ids())
def test_every_valid_id_is_accepted_and_every_single_change_refused(generated):
    number, _birth, _gender = generated
    validate_id_number(number)
    refused = 0
    for changed in single_changes(number):
        with pytest.raises(ValidationError):
            validate_id_number(changed)
        refused += 1
    assert refused == 17 * 9 + 10


FORMATS = st.sampled_from(
    [
        lambda n: n,
        lambda n: n.lower(),
        lambda n: f"{n[:6]} {n[6:14]} {n[14:]}",
        lambda n: n.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")),
    ]
)


def _file_data(w, **overrides):
    data = {
        "name": "王小明",
        "ethnicity": "01",
        "phone": "13900001111",
        "political_status": "13",
        "education": "21",
        "source_category": "veteran",
        "village": w["reference"][QILONGSHAN].pk,
    }
    data.update(overrides)
    return data


def test_candidate_form_agrees_with_the_id_number(world, reliability):  # noqa: F811
    figures = Counter()

    @settings(max_examples=50, deadline=None, database=None)
    @given(valid_ids(), FORMATS, st.integers(1, 4000), st.data())
    def run(generated, fmt, shift, draw):
        number, birth, gender = generated
        user = world["organiser"]
        form = CandidateForm(_file_data(world, id_number=fmt(number)), user=user)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["id_number"] == number
        assert form.cleaned_data["birth_date"] == birth
        assert form.cleaned_data["gender"].code == gender
        figures["accepted"] += 1
        # A birth date or gender typed by hand must agree with the number.
        other_birth = birth - datetime.timedelta(days=shift)
        wrong = CandidateForm(_file_data(world, id_number=number, birth_date=other_birth.isoformat()), user=user)
        assert not wrong.is_valid() and "birth_date" in wrong.errors
        wrong = CandidateForm(_file_data(world, id_number=number, gender="2" if gender == "1" else "1"), user=user)
        assert not wrong.is_valid() and "gender" in wrong.errors
        changed = draw.draw(st.sampled_from(list(single_changes(number))))
        wrong = CandidateForm(_file_data(world, id_number=changed), user=user)
        assert not wrong.is_valid() and "id_number" in wrong.errors
        figures["refused"] += 3

    run()
    reliability(
        "GB 11643 through the file form",
        tried=figures["accepted"] + figures["refused"],
        succeeded=figures["accepted"],
        refused=figures["refused"],
        leaked=0,
    )
    assert figures["accepted"] >= 20


MOBILE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
PHONE_FORMATS = st.sampled_from(
    [
        lambda p: p,
        lambda p: f"{p[:3]} {p[3:7]} {p[7:]}",
        lambda p: f"{p[:3]}-{p[3:7]}-{p[7:]}",
        lambda p: f"+86 {p}",
        lambda p: f"0086{p}",
        lambda p: p.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ]
)
NOT_MOBILE = st.one_of(
    st.from_regex(r"1[0-2][0-9]{9}", fullmatch=True),
    st.from_regex(r"[02-9][0-9]{10}", fullmatch=True),
    st.from_regex(r"1[3-9][0-9]{0,8}", fullmatch=True),
    st.from_regex(r"1[3-9][0-9]{10,12}", fullmatch=True),
    st.from_regex(r"1[3-9][0-9]{4}[a-z][0-9]{4}", fullmatch=True),
)


def test_mainland_mobile_numbers(world, reliability):  # noqa: F811
    figures = Counter()
    user = world["organiser"]
    number = "51190319900307002"
    number += id_check_char(number)

    @settings(max_examples=50, deadline=None, database=None)
    @given(MOBILE, PHONE_FORMATS, NOT_MOBILE)
    def run(mobile, fmt, bad):
        form = CandidateForm(_file_data(world, id_number=number, phone=fmt(mobile)), user=user)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["phone"] == mobile == normalise_mobile(fmt(mobile))
        wrong = CandidateForm(_file_data(world, id_number=number, phone=bad), user=user)
        assert not wrong.is_valid() and "phone" in wrong.errors
        figures["accepted"] += 1
        figures["refused"] += 1

    run()
    reliability(
        "mainland mobile numbers through the file form",
        tried=figures["accepted"] + figures["refused"],
        succeeded=figures["accepted"],
        refused=figures["refused"],
        leaked=0,
    )
    assert figures["refused"] >= 20


def test_party_entry_lies_between_birth_and_today(world, reliability):  # noqa: F811
    figures = Counter()
    user = world["organiser"]

    @settings(max_examples=60, deadline=None, database=None)
    # The second range lands around the 18th birthday, where entries start being accepted.
    @given(valid_ids(), st.one_of(st.integers(-5000, 30000), st.integers(6500, 6700)))
    def run(generated, days_after_birth):
        number, birth, _gender = generated
        entry = birth + datetime.timedelta(days=days_after_birth)
        form = CandidateForm(
            _file_data(world, id_number=number, political_status="01", party_entry_date=entry.isoformat()), user=user
        )
        # Members join at 18 or older (which also puts the entry after the birth), and not in the future.
        plausible = birth < entry <= TODAY and age_on(birth, entry) >= 18
        assert form.is_valid() == plausible, (birth, entry, form.errors)
        if not plausible:
            assert "party_entry_date" in form.errors
        figures["accepted" if plausible else "refused"] += 1

    run()
    reliability(
        "birth < party entry ≤ today through the file form",
        tried=figures["accepted"] + figures["refused"],
        succeeded=figures["accepted"],
        refused=figures["refused"],
        leaked=0,
    )
    assert figures["accepted"] and figures["refused"]


def test_id_normalising_is_idempotent():
    assert normalise_id_number(" 5119０３ x ") == "511903X"
    assert normalise_id_number(normalise_id_number("5119 03x")) == "511903X"
