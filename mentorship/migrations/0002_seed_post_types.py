from django.db import migrations

# The posts the district's practice names; more can be added in the admin.
POST_TYPES = ["村党组织书记助理", "专职网格员", "村民小组长", "村务监督委员会成员", "村集体经济组织成员"]


def seed(apps, schema_editor):
    PostType = apps.get_model("mentorship", "PostType")
    for order, name in enumerate(POST_TYPES, start=1):
        PostType.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
