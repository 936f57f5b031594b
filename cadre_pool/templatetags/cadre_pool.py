from django import template

register = template.Library()


@register.simple_tag
def lookup(mapping, prefix, key):
    """`mapping["<prefix>_<key>"]`: reads grouped report columns named field_value."""
    return mapping.get(f"{prefix}_{key}", 0)


@register.simple_tag(takes_context=True)
def query_without_page(context):
    """The request's query string less `page`: what links to another page or an export of a list keep."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return query.urlencode()
