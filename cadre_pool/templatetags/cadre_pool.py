from django import template

from cadre_pool import widgets

register = template.Library()


@register.simple_tag
def lookup(mapping, prefix, key):
    """`mapping["<prefix>_<key>"]`: reads grouped report columns named field_value."""
    return mapping.get(f"{prefix}_{key}", 0)


@register.simple_tag
def filter_fields(form):
    """A filter form's fields, each in a grid cell with its label and errors: the lists' filter panel.
    Drawn here rather than by a template loop, which cost as much as the fields themselves on the most
    read page (cadre_pool.widgets draws the fields)."""
    return widgets.grid_cells(form)
