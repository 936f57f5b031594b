"""Form widgets that stay cheap on pages rendered hundreds of times a second."""

from html import escape

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_filters.widgets import BaseCSVWidget


def attributes(attrs: dict) -> str:
    """Django's flatatt (sorted key="value" pairs, then the true booleans) with the standard
    library's escape: flatatt's format_html_join cost more than the rest of a field."""
    pairs = sorted((key, value) for key, value in attrs.items() if value is not None and not isinstance(value, bool))
    flags = [key for key, value in attrs.items() if value is True]
    return "".join(f' {key}="{escape(str(value))}"' for key, value in pairs) + "".join(f" {key}" for key in flags)


def _html(markup: str) -> SafeString:
    return mark_safe(markup)  # noqa: S308 - built from escaped values only


class FastSelect(forms.Select):
    """A single <select> built in Python rather than one template per option: the same HTML
    (no option groups), in a fraction of the time for a drop-down of 200 townships.

    `options_kept`, when a dict, keeps the drawn options per language: only for a widget whose choices
    never change (a filter form's, fixed per scope and code tables by candidates.filters._form_class).
    """

    options_kept: dict | None = None

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.is_required:
            final["required"] = True
        chosen = self.format_value(value)
        if self.options_kept is None:
            options = self._options(set(chosen))
        else:
            language = get_language()
            options = self.options_kept.get(language)
            if options is None:
                options = self.options_kept[language] = self._options(set())
            for option in chosen:
                unselected = f'<option value="{escape(option)}">'
                options = options.replace(unselected, f"{unselected[:-1]} selected>", 1)
        return _html(f"<select{attributes(final)}>{options}</select>")

    def _options(self, chosen: set[str]) -> str:
        # The standard library's escape, not format_html_join: the same escaping, without a lazy
        # wrapper and a SafeString check per value (a 200-option drop-down: 1.5 ms → 0.1 ms).
        return "".join(
            f'<option value="{escape(str(option))}"{" selected" if str(option) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for option, label in self.choices
        )


class FastInputMixin:
    """An <input> built in Python: Django renders three templates (input, attrs, the type's) per field."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["type"] = self.input_type
        final["name"] = name
        if self.is_required:
            final["required"] = True
        value = self.format_value(value)
        if value is not None:
            final["value"] = value
        return _html(f"<input{attributes(final)}>")


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


class FastCSVSelect(BaseCSVWidget, FastSelect):
    """django-filter's ordering drop-down (a Select that reads "a,b" as a list), drawn by FastSelect."""


FAST = {forms.Select: FastSelect, forms.TextInput: FastTextInput, forms.NumberInput: FastNumberInput}


def use_fast_widgets(fields: dict[str, forms.Field], *, keep_options: bool = False) -> None:
    """Swap the plain selects and text and number inputs of a filter form's fields for ones built in
    Python; `keep_options` when the fields' choices never change (FastSelect.options_kept)."""
    for field in fields.values():
        fast = FAST.get(type(field.widget))
        if fast is None and isinstance(field.widget, BaseCSVWidget) and isinstance(field.widget, forms.Select):
            fast = FastCSVSelect
        if fast is not None:
            widget = fast(attrs=field.widget.attrs)
            if issubclass(fast, FastSelect):
                widget.choices = field.widget.choices
                if keep_options:
                    widget.options_kept = {}
            widget.is_required = field.widget.is_required
            field.widget = widget


def grid_cells(form: forms.Form) -> SafeString:
    """Each field of the form in a grid cell: label, widget, errors."""
    cells = []
    for field in form:
        label = escape(str(field.label))
        label = f'<label class="form-label small mb-0" for="{escape(field.id_for_label)}">{label}</label>'
        errors = "".join(f"<li>{escape(str(error))}</li>" for error in field.errors)
        if errors:
            errors = f'<ul class="errorlist">{errors}</ul>'
        cells.append(f'<div class="col-6 col-md-4 col-lg-3 col-xl-2">{label}{field}{errors}</div>')
    return _html("\n".join(cells))
