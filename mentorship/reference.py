from django.db import DEFAULT_DB_ALIAS

from mentorship.models import PostType

# The posts the district's practice names (also seeded by migration 0002); more can be added in the admin.
DEFAULT_POST_TYPES = ["村党组织书记助理", "专职网格员", "村民小组长", "村务监督委员会成员", "村集体经济组织成员"]


def ensure_post_types(using: str = DEFAULT_DB_ALIAS) -> int:
    created = 0
    for order, name in enumerate(DEFAULT_POST_TYPES, start=1):
        created += PostType.objects.using(using).get_or_create(name=name, defaults={"sort_order": order})[1]
    return created


def post_types_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """A post_migrate receiver: every migrated database, a flushed test database included, has them."""
    ensure_post_types(using)
