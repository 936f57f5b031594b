from django.db import migrations

# The district's starting vocabulary; system administrators extend it in the admin.
VOCABULARY = [
    ("种养殖", "industry"),
    ("电商", "industry"),
    ("乡村旅游", "industry"),
    ("农产品加工", "industry"),
    ("商贸流通", "industry"),
    ("物流", "industry"),
    ("建筑", "professional"),
    ("财务", "professional"),
    ("法律", "professional"),
    ("农业技术", "professional"),
    ("医疗卫生", "professional"),
    ("教育培训", "professional"),
]


def add_vocabulary(apps, schema_editor):
    SkillTag = apps.get_model("candidates", "SkillTag")
    for order, (name, kind) in enumerate(VOCABULARY, start=1):
        SkillTag.objects.get_or_create(name=name, defaults={"kind": kind, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("candidates", "0003_information_file")]

    operations = [migrations.RunPython(add_vocabulary, migrations.RunPython.noop)]
