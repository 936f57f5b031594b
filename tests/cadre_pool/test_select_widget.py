"""The project's select template (templates/django/forms/widgets/select.html) draws the same HTML as
Django's own, for every kind of select the forms use."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test.html import parse_html

GROUPED = [
    ("", "全部"),
    ("学历", [("21", "大学本科"), ("31", "大学专科")]),
    ("<script>", [('"x"&y', "<b>镇</b>")]),
    (5, "数字"),
]


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=GROUPED, attrs={"class": "form-select", "data-x": "1"}), "31"),
        (forms.Select(choices=GROUPED), '"x"&y'),
        (forms.Select(choices=GROUPED), None),
        (forms.Select(choices=GROUPED), 5),
        (forms.SelectMultiple(choices=GROUPED, attrs={"required": True, "disabled": False}), ["21", '"x"&y']),
        (forms.NullBooleanSelect(), True),
        (forms.NullBooleanSelect(), None),
    ],
)
def test_the_select_template_draws_what_djangos_own_draws(widget, value):
    ours = widget.render("field", value, attrs={"id": "id_field"}, renderer=get_default_renderer())
    djangos = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
    assert ours.count("<option") == djangos.count("<option")
    assert parse_html(ours) == parse_html(djangos)
    assert "{%" not in ours


def test_the_project_renders_widgets_through_its_own_templates():
    assert (
        "Select.option_inherits_attrs"
        in get_default_renderer().get_template("django/forms/widgets/select.html").template.source
    )
    assert forms.Select.option_inherits_attrs is False and forms.SelectMultiple.option_inherits_attrs is False
