"""Every model of the product apps has one factory in tests/factories.py, and it builds a valid row.

A new model without a factory fails here, so that tests can always set one up in a line. The
many-to-many tables Django creates itself (a file's skills, a need's skills, a contact's candidates)
are not models of ours and are filled through the factories' `skills` and `candidates` arguments.
"""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

PRODUCT_APPS = ("cadre_pool", "candidates", "mentorship", "assessments", "reports")
PRODUCT_MODELS = [model for label in PRODUCT_APPS for model in apps.get_app_config(label).get_models()]


def _factories_by_model() -> dict[type, list[type]]:
    found: dict[type, list[type]] = {}
    for _name, value in inspect.getmembers(factories, inspect.isclass):
        if issubclass(value, factory.django.DjangoModelFactory) and not value._meta.abstract:
            found.setdefault(value._meta.get_model_class(), []).append(value)
    return found


FACTORIES = _factories_by_model()


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    # Evidence, exports and imports write their files; keep them out of the checkout.
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def test_every_product_model_has_exactly_one_factory():
    counts = {model._meta.label: len(FACTORIES.get(model, [])) for model in PRODUCT_MODELS}
    assert {label: count for label, count in counts.items() if count != 1} == {}


def test_every_factory_is_for_a_product_model():
    assert {model._meta.label for model in FACTORIES} - {model._meta.label for model in PRODUCT_MODELS} == set()


@pytest.mark.parametrize("model", PRODUCT_MODELS, ids=lambda model: model._meta.label)
def test_the_factory_saves_a_valid_row(db, model):
    (model_factory,) = FACTORIES[model]
    obj = model_factory()
    obj.refresh_from_db()
    obj.full_clean()


@pytest.mark.parametrize("model", PRODUCT_MODELS, ids=lambda model: model._meta.label)
def test_two_rows_from_one_factory_can_live_side_by_side(db, model):
    """Unique fields (codes, names, ID numbers) come from sequences, so a batch never collides."""
    (model_factory,) = FACTORIES[model]
    first, second = model_factory.create_batch(2)
    for obj in (first, second):
        obj.refresh_from_db()
        obj.full_clean()


TRAITS = [
    (factories.OrgUnitFactory, "township"),
    (factories.OrgUnitFactory, "district"),
    (factories.LoginLockFactory, "locked"),
    (factories.ReviewFactory, "filled"),
    (factories.DecisionFactory, "promotion"),
]


@pytest.mark.parametrize(("model_factory", "trait"), TRAITS, ids=[f"{f.__name__}-{t}" for f, t in TRAITS])
def test_each_trait_saves_a_valid_row(db, model_factory, trait):
    obj = model_factory(**{trait: True})
    obj.refresh_from_db()
    obj.full_clean()


def test_related_rows_agree_as_the_services_would_make_them(db):
    assignment = factories.MentorAssignmentFactory()
    assert assignment.mentor.township == assignment.candidate.township
    assert assignment.is_lead and assignment.candidate.has_current_mentor
    assert not factories.MentorAssignmentFactory(candidate=assignment.candidate).is_lead

    secondment = factories.SecondmentFactory(
        candidate=factories.CandidateFactory(village=factories.unit("511903100213"))
    )
    assert secondment.host_village != secondment.candidate.village
    assert secondment.host_village.parent == secondment.candidate.township
    assert secondment.within_standard_length and secondment.candidate.has_current_secondment

    reserve = factories.ReserveAssignmentFactory()
    assert reserve.candidate.target_village == reserve.need.village
    assert reserve.candidate.township == reserve.need.village.parent

    for decision in (factories.DecisionFactory(), factories.DecisionFactory(promotion=True)):
        assert decision.pool_event.candidate == decision.candidate
        assert decision.candidate.status == decision.pool_event.to_status
        assert decision.decided_by == decision.pool_event.approved_by
