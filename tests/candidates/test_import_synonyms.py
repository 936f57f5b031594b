"""The short and common names of code-table values: every shipped synonym resolves through the import."""

import csv

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from cadre_pool.models import CodeSynonym, OrgUnit
from cadre_pool.org.reference import CODE_SYNONYMS_FILE, load_code_tables
from candidates.importing import _Lookups
from candidates.models import SourceCategory
from candidates.normalise import match_code
from tests.conftest import MINGYANG

with CODE_SYNONYMS_FILE.open(encoding="utf-8") as handle:
    SHIPPED = [(row["table"], row["code"], row["synonym"]) for row in csv.DictReader(handle)]


def test_the_file_holds_the_obvious_ones():
    shipped = {(table, synonym): code for table, code, synonym in SHIPPED}
    for table, synonym, code in [
        ("education", "大专", "31"),
        ("education", "中专", "41"),
        ("education", "本科", "21"),
        ("education", "高中", "61"),
        ("education", "研究生", "14"),
        ("political_status", "党员", "01"),
        ("political_status", "预备党员", "02"),
        ("political_status", "团员", "03"),
        ("political_status", "群众", "13"),
        ("ethnicity", "汉", "01"),
        ("gender", "男", "1"),
        ("gender", "女", "2"),
        ("source_category", "退伍军人", "veteran"),
        ("source_category", "大学生", "college_graduate"),
        ("degree", "学士", "4"),
        ("health", "健康", "1"),
    ]:
        assert shipped[(table, synonym)] == code
    assert len(shipped) == len(SHIPPED)  # unique per table and synonym
    assert {code for table, code, _s in SHIPPED if table == "source_category"} <= set(SourceCategory.values)


@pytest.fixture(scope="module")
def tables(django_db_setup, django_db_blocker):
    """The import's own lookup (`_Lookups`), built once from the loaded code tables and synonyms inside
    a transaction that is rolled back: what it holds afterwards is plain Python."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_code_tables()
        township = OrgUnit.objects.filter(code=MINGYANG).first()
        if township is None:  # the session's reference data was flushed by a transactional test
            township = OrgUnit(code=MINGYANG, name="明阳镇", level=OrgUnit.Level.TOWNSHIP)
            township.path = township.compute_path()
            township.save()
        built = _Lookups(township).tables
        transaction.set_rollback(True)
    return built


@pytest.mark.parametrize(("table", "code", "synonym"), SHIPPED, ids=[f"{t}-{s}" for t, _c, s in SHIPPED])
def test_each_synonym_resolves_to_its_code(tables, table, code, synonym):
    assert match_code(synonym, tables[table]) == code
    assert match_code(f" {synonym} ", tables[table]) == code


def test_loading_is_idempotent_and_keeps_synonyms_added_in_the_admin(reference):
    added = CodeSynonym(table="education", code="71", synonym=" 初 小 ")
    added.full_clean()
    added.save()
    assert added.synonym == "初小"
    load_code_tables()
    assert CodeSynonym.objects.count() == len(SHIPPED) + 1
    assert match_code("初小", _Lookups(reference[MINGYANG]).tables["education"]) == "71"


def test_a_synonym_must_name_a_code_of_its_table(reference):
    with pytest.raises(ValidationError) as info:
        CodeSynonym(table="education", code="99", synonym="博士后").full_clean()
    assert "99" in str(info.value.message_dict["code"])


def test_a_synonym_standing_for_two_values_is_ambiguous_in_the_import(reference):
    # A synonym spelled as another value's name: the two values it may mean are named.
    CodeSynonym.objects.create(table="education", code="41", synonym="大学专科毕业")
    with pytest.raises(ValueError, match="大学专科毕业、中等专科毕业"):
        match_code("大学专科毕业", _Lookups(reference[MINGYANG]).tables["education"])


def test_the_admin_lists_and_edits_synonyms(client, system_admin):
    client.force_login(system_admin)
    page = client.get("/admin/cadre_pool/codesynonym/?table=education")
    assert page.status_code == 200
    assert "大专" in page.text and "代码别名" in page.text
