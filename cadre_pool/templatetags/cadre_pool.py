from django import template

register = template.Library()


@register.simple_tag
def lookup(mapping, prefix, key):
    """`mapping["<prefix>_<key>"]`: reads grouped report columns named field_value."""
    return mapping.get(f"{prefix}_{key}", 0)
