"""A made-up country-sized installation for measuring performance (`manage.py seed_scale`, `make bench`).

One synthetic province (division codes 99xxxxxxxxxx, beside the real Enyang district) of 10 cities,
100 districts, 2,000 townships and about 30,000 villages, with a million candidates spread unevenly
over the townships (a few large streets, many small townships), their pool events, mentors,
mentoring logs, post placements, look-back reviews and decisions.

Speed: candidates are streamed to PostgreSQL with COPY; everything derived from them is generated
by the server with INSERT … SELECT. Secondary indexes are dropped while loading and rebuilt once at
the end, and foreign-key triggers are off for the session (the data is generated consistent), as
pg_restore does. Nothing here describes a real person; every account has an unusable password.
"""

import datetime
import functools
import itertools
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from cadre_pool.models import OrgUnit
from candidates.demo import GIVEN_FEMALE, GIVEN_MALE, SURNAMES
from candidates.identity import id_check_char
from candidates.models import Candidate
from candidates.pinyin import MAX_VARIANTS, name_initials

PROVINCE_CODE = "990000000000"
CITIES = 10
DISTRICTS_PER_CITY = 10
TOWNSHIPS_PER_DISTRICT = 20
# Township sizes follow a Zipf law with this exponent: with 2,000 townships the largest holds
# about 2 % of everyone (a big street of ~20,000 files), the smallest about 200.
ZIPF_EXPONENT = 0.6

STATUS_WEIGHTS = [
    ("in_pool", 60),
    ("filed", 5),
    ("proposed", 3),
    ("willing", 7),
    ("contacted", 7),
    ("prospect", 8),
    ("promoted", 6),
    ("exited", 4),
]
SOURCE_WEIGHTS = [
    ("migrant_business", 30),
    ("college_graduate", 20),
    ("veteran", 12),
    ("wealth_leader", 12),
    ("returnee_entrepreneur", 12),
    ("village_cadre", 10),
    ("other", 4),
]
POLITICAL_WEIGHTS = [("01", 60), ("02", 10), ("03", 10), ("13", 20)]
EDUCATION_WEIGHTS = [("21", 25), ("31", 35), ("61", 18), ("41", 6), ("44", 4), ("71", 12)]
PLACE_CHARS = "青山河桥石林田坝沟湾坪岭溪水龙凤高新平安和兴福寿长乐双马白云金银花东南西北中上下"

# Bench accounts, each bound to a unit chosen by seed_scale (see scale_accounts()).
BENCH_ACCOUNTS = ("scale_province", "scale_city", "scale_district", "scale_organiser")


@dataclass
class Unit:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    path: str


def _place_name(rng: random.Random, suffix: str) -> str:
    return "".join(rng.choice(PLACE_CHARS) for _ in range(2)) + suffix


def build_tree(rng: random.Random, first_id: int) -> list[Unit]:
    """The synthetic province's units, parents before children, ids from `first_id`."""
    units: list[Unit] = []
    next_id = iter(range(first_id, first_id + 10_000_000))

    def add(code, name, level, parent):
        unit = Unit(next(next_id), code, name, level, parent.id if parent else None, "")
        unit.path = f"{parent.path if parent else ''}{code}/"
        units.append(unit)
        return unit

    province = add(PROVINCE_CODE, "规模测试省", "province", None)
    for c in range(1, CITIES + 1):
        city = add(f"99{c:02d}00000000", _place_name(rng, "市"), "city", province)
        for d in range(1, DISTRICTS_PER_CITY + 1):
            district = add(f"99{c:02d}{d:02d}000000", _place_name(rng, "区"), "district", city)
            for t in range(1, TOWNSHIPS_PER_DISTRICT + 1):
                prefix = f"99{c:02d}{d:02d}{100 + t:03d}"
                township = add(f"{prefix}000", _place_name(rng, "镇"), "township", district)
                for v in range(1, rng.randint(8, 22) + 1):
                    add(f"{prefix}{200 + v:03d}", _place_name(rng, "村"), "village", township)
    return units


def _weighted(rng: random.Random, table):
    values, weights = zip(*table, strict=True)
    cumulative = list(itertools.accumulate(weights))
    return lambda: rng.choices(values, cum_weights=cumulative)[0]


@functools.cache
def _char_initials(char: str) -> tuple[str, ...]:
    return tuple(name_initials(char).split())


def _initials(name: str) -> str:
    # candidates.pinyin.name_initials, character by character: the same key (now and then with one more
    # reading) for these made-up names, a hundred times faster than asking pypinyin about each of them.
    variants = ("".join(combo) for combo in itertools.product(*(_char_initials(c) for c in name)))
    return " ".join(dict.fromkeys(itertools.islice(variants, MAX_VARIANTS)))[:120]


ORGUNIT_COLUMNS = ("id", "code", "name", "short_name", "level", "parent_id", "path", "is_model_village")
ORGUNIT_COLUMNS += ("is_star_village", "active")
FLAG_COLUMNS = ("has_current_mentor", "has_current_post", "has_current_secondment")
USER_COLUMNS = ("password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active")
USER_COLUMNS += ("date_joined", "full_name", "role", "unit_id", "password_changed_at", "must_change_password")


def _reset_sequence(cursor, table: str) -> None:
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint: dropped while loading."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = %s
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [table],
    )
    return cursor.fetchall()


class Seeder:
    def __init__(self, *, candidates: int, seed: int, log=print):
        self.total = candidates
        self.rng = random.Random(seed)
        self.log = log
        self.started = time.monotonic()

    def say(self, message: str) -> None:
        self.log(f"[{time.monotonic() - self.started:6.1f} s] {message}")

    def run(self) -> dict:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers while loading
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            tables = [
                "candidates_candidate",
                "candidates_poolevent",
                "candidates_candidate_skills",
                "mentorship_mentor",
                "mentorship_mentorassignment",
                "mentorship_mentoringlog",
                "mentorship_placement",
                "assessments_review",
                "assessments_decision",
            ]
            dropped = []
            for table in tables:
                for name, definition in _secondary_indexes(cursor, table):
                    cursor.execute(f'DROP INDEX "{name}"')
                    dropped.append(definition)
            self.say(f"dropped {len(dropped)} secondary indexes for the load")
            townships = self.org_tree(cursor)
            self.users(cursor, townships)
            self.candidates(cursor, townships)
            self.derived(cursor)
            self.say("rebuilding indexes")
            for definition in dropped:
                cursor.execute(definition)
            self.say("indexes rebuilt")
        # VACUUM cannot run in a transaction; it also sets the visibility map for index-only scans.
        with connection.cursor() as cursor:
            for table in ["cadre_pool_orgunit", "cadre_pool_user", *tables, "assessments_reviewround"]:
                cursor.execute(f"VACUUM ANALYZE {table}")
        self.say("vacuumed and analysed")
        return {"candidates": self.total, "seconds": round(time.monotonic() - self.started, 1)}

    # Organisation tree -------------------------------------------------------------------

    @staticmethod
    def _village_flags(unit: Unit) -> tuple[bool, bool]:
        # One village in ten is a model village (示范村), one in fifty a star village (明星村).
        village = unit.level == "village"
        return village and unit.id % 10 == 0, village and unit.id % 50 == 0

    def org_tree(self, cursor) -> list[Unit]:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM cadre_pool_orgunit")
        first_id = cursor.fetchone()[0]
        units = build_tree(self.rng, first_id)
        _copy(
            cursor,
            "cadre_pool_orgunit",
            [*ORGUNIT_COLUMNS],
            ((*(u.id, u.code, u.name, "", u.level, u.parent_id, u.path), *self._village_flags(u), True) for u in units),
        )
        _reset_sequence(cursor, "cadre_pool_orgunit")
        self.units = units
        self.villages_of: dict[int, list[int]] = {}
        for unit in units:
            if unit.level == "village":
                self.villages_of.setdefault(unit.parent_id, []).append(unit.id)
        townships = [u for u in units if u.level == "township"]
        villages = sum(len(ids) for ids in self.villages_of.values())
        self.say(f"organisation tree: {len(units)} units, {len(townships)} townships, {villages} villages")
        return townships

    # Accounts ----------------------------------------------------------------------------

    def users(self, cursor, townships: list[Unit]) -> None:
        # One organiser per township and one staff member per district; all unusable passwords.
        unusable = make_password(None)
        now = timezone.now()
        rows = []
        for unit in self.units:
            if unit.level == "township":
                rows.append((f"org_{unit.code}", "organiser", unit.id))
            elif unit.level in {"district", "city", "province"}:
                rows.append((f"staff_{unit.code}", "district_staff", unit.id))
        _copy(
            cursor,
            "cadre_pool_user",
            [*USER_COLUMNS],
            (
                (unusable, False, username, "", "", "", False, True, now, username, role, unit_id, now, False)
                for username, role, unit_id in rows
            ),
        )
        cursor.execute(
            """
            CREATE TEMP TABLE seed_township ON COMMIT DROP AS
            SELECT t.id AS township_id, o.id AS organiser_id, s.id AS staff_id
            FROM cadre_pool_orgunit t
            JOIN cadre_pool_user o ON o.username = 'org_' || t.code
            JOIN cadre_pool_user s ON s.unit_id = t.parent_id AND s.role = 'district_staff'
              AND s.username LIKE 'staff_%%'
            WHERE t.level = 'township' AND t.code LIKE '99%%'
            """
        )
        cursor.execute("CREATE UNIQUE INDEX ON seed_township (township_id)")
        self.say(f"accounts: {len(rows)}")

    # Candidates --------------------------------------------------------------------------

    def _township_sizes(self, townships: list[Unit]) -> list[int]:
        ranks = list(range(1, len(townships) + 1))
        self.rng.shuffle(ranks)
        weights = [rank**-ZIPF_EXPONENT for rank in ranks]
        scale = self.total / sum(weights)
        sizes = [int(w * scale) for w in weights]
        sizes[ranks.index(1)] += self.total - sum(sizes)  # the largest takes the rounding
        return sizes

    def candidates(self, cursor, townships: list[Unit]) -> None:
        rng = self.rng
        sizes = self._township_sizes(townships)
        district_code = {u.id: u.code[:6] for u in self.units if u.level == "district"}
        status = _weighted(rng, STATUS_WEIGHTS)
        source = _weighted(rng, SOURCE_WEIGHTS)
        political = _weighted(rng, POLITICAL_WEIGHTS)
        education = _weighted(rng, EDUCATION_WEIGHTS)
        skill_ids = self._ids(cursor, "SELECT id FROM candidates_skilltag ORDER BY id")
        today = timezone.localdate()
        now = timezone.now()
        seen: set[str] = set()
        self.skills: list[tuple[int, int]] = []
        cursor.execute("SELECT coalesce(max(id), 0) FROM candidates_candidate")
        next_id = cursor.fetchone()[0] + 1
        first_id = next_id

        def rows():
            nonlocal next_id
            for township, size in zip(townships, sizes, strict=True):
                villages = self.villages_of[township.id]
                area = district_code[township.parent_id]
                for _ in range(size):
                    male = rng.random() < 0.7
                    age = min(48, max(22, int(rng.gauss(35, 6))))
                    birth = today - datetime.timedelta(days=age * 365 + rng.randrange(0, 365))
                    while True:
                        sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
                        body = f"{area}{birth:%Y%m%d}{sequence:03d}"
                        number = body + id_check_char(body)
                        if number not in seen:
                            seen.add(number)
                            break
                    pool = GIVEN_MALE if male else GIVEN_FEMALE
                    name = rng.choice(SURNAMES) + "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2))))
                    party = political()
                    party_entry = None
                    if party in {"01", "02"}:
                        party_entry = birth + datetime.timedelta(days=365 * rng.randint(18, age - 1) + 30)
                    skilled = rng.random() < 0.5 and bool(skill_ids)  # the vocabulary may be empty in tests
                    if skilled:
                        self.skills.append((next_id, rng.choice(skill_ids)))
                    created = now - datetime.timedelta(days=rng.randrange(90, 1100), seconds=rng.randrange(86400))
                    village = rng.choice(villages)
                    state = status()
                    target = village if state == "in_pool" and rng.random() < 0.3 else None
                    yield (
                        next_id,
                        name,
                        _initials(name),
                        "1" if male else "2",
                        "01" if rng.random() < 0.95 else "03",
                        birth,
                        number,
                        f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                        party,
                        party_entry,
                        education(),
                        source(),
                        township.id,
                        village,
                        target,
                        state,
                        skilled,
                        created,
                        created + datetime.timedelta(days=5 * 30),
                    )
                    next_id += 1

        columns = [
            "id",
            "name",
            "name_initials",
            "gender_id",
            "ethnicity_id",
            "birth_date",
            "id_number",
            "phone",
            "political_status_id",
            "party_entry_date",
            "education_id",
            "source_category",
            "township_id",
            "village_id",
            "target_village_id",
            "status",
            "has_industry_skill",
            "created_at",
            "updated_at",
        ]
        blank = [
            "native_place",
            "current_city",
            "employer",
            "occupation",
            "fulltime_school",
            "fulltime_major",
            "inservice_school",
            "inservice_major",
            "rewards_punishments",
            "willingness",
            "skills_other",
            "notes",
        ]
        # Columns without a database default get theirs for the load, and lose it again afterwards.
        for column in blank:
            cursor.execute(f"ALTER TABLE candidates_candidate ALTER COLUMN {column} SET DEFAULT ''")
        cursor.execute("ALTER TABLE candidates_candidate ALTER COLUMN version SET DEFAULT 1")
        for column in FLAG_COLUMNS:  # set from the mentorship rows once those exist (derived())
            cursor.execute(f"ALTER TABLE candidates_candidate ALTER COLUMN {column} SET DEFAULT false")
        count = _copy(cursor, "candidates_candidate", columns, rows())
        for column in [*blank, "version", *FLAG_COLUMNS]:
            cursor.execute(f"ALTER TABLE candidates_candidate ALTER COLUMN {column} DROP DEFAULT")
        _reset_sequence(cursor, "candidates_candidate")
        _copy(cursor, "candidates_candidate_skills", ["candidate_id", "skilltag_id"], self.skills)
        self.first_candidate = first_id
        self.say(f"candidates: {count} (township sizes {min(sizes)} to {max(sizes)}), skill tags {len(self.skills)}")

    @staticmethod
    def _ids(cursor, sql: str) -> list[int]:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]

    # Everything derived from the candidates, generated by the server ---------------------

    def derived(self, cursor) -> None:
        first = self.first_candidate
        # The funnel in order; promoted and exited people went through the pool first.
        cursor.execute(
            """
            INSERT INTO candidates_poolevent
                (candidate_id, township_id, from_status, to_status, reason, actor_id, actor_role, approved_by_id,
                 created_at)
            SELECT c.id, c.township_id,
                   coalesce(chain[g - 1], ''),
                   chain[g],
                   CASE WHEN chain[g] = 'exited' THEN '本人意愿' ELSE '' END,
                   CASE WHEN chain[g] IN ('in_pool', 'promoted', 'exited') THEN s.staff_id ELSE s.organiser_id END,
                   CASE WHEN chain[g] IN ('in_pool', 'promoted', 'exited') THEN 'district_staff' ELSE 'organiser' END,
                   CASE WHEN chain[g] IN ('in_pool', 'promoted', 'exited') THEN s.staff_id END,
                   least(c.created_at + (g - 1) * interval '20 days', now())
            FROM candidates_candidate c
            JOIN seed_township s ON s.township_id = c.township_id
            CROSS JOIN LATERAL (
                SELECT CASE c.status
                    WHEN 'promoted' THEN ARRAY['prospect','contacted','willing','filed','proposed','in_pool','promoted']
                    WHEN 'exited' THEN ARRAY['prospect','contacted','willing','filed','proposed','in_pool','exited']
                    ELSE (ARRAY['prospect','contacted','willing','filed','proposed','in_pool'])[
                        1:array_position(ARRAY['prospect','contacted','willing','filed','proposed','in_pool'],
                                         c.status::text)]
                END AS chain
            ) ch
            CROSS JOIN LATERAL generate_series(1, cardinality(ch.chain)) g
            WHERE c.id >= %s
            """,
            [first],
        )
        self.say(f"pool events: {cursor.rowcount}")
        cursor.execute(
            """
            INSERT INTO assessments_decision
                (candidate_id, kind, exit_reason, note, post, post_other, village_id, effective_date,
                 pool_event_id, decided_by_id, decided_at)
            SELECT e.candidate_id,
                   CASE e.to_status WHEN 'promoted' THEN 'promotion' ELSE 'exit' END,
                   CASE e.to_status WHEN 'exited' THEN 'own_wish' ELSE '' END,
                   CASE e.to_status WHEN 'exited' THEN '本人申请调整出库' ELSE '' END,
                   CASE e.to_status WHEN 'promoted' THEN 'village_secretary' ELSE '' END,
                   '',
                   CASE e.to_status WHEN 'promoted' THEN c.village_id END,
                   e.created_at::date, e.id, e.actor_id, e.created_at
            FROM candidates_poolevent e JOIN candidates_candidate c ON c.id = e.candidate_id
            WHERE e.to_status IN ('promoted', 'exited') AND e.candidate_id >= %s
            """,
            [first],
        )
        self.say(f"decisions: {cursor.rowcount}")
        # About one mentor for every three people in the pool, registered by township.
        cursor.execute(
            """
            INSERT INTO mentorship_mentor (name, role, work_unit, township_id, phone, active, capacity)
            SELECT '导师' || t.township_id || '-' || g, 'village_secretary', '村党组织书记', t.township_id,
                   '137' || lpad((t.township_id * 100 + g)::text, 8, '0'), true, 3
            FROM (SELECT township_id, count(*) FILTER (WHERE status = 'in_pool') AS pool
                  FROM candidates_candidate WHERE id >= %s GROUP BY township_id) t
            CROSS JOIN LATERAL generate_series(1, greatest(1, t.pool / 3)) g
            """,
            [first],
        )
        self.say(f"mentors: {cursor.rowcount}")
        cursor.execute(
            """
            CREATE TEMP TABLE seed_mentors ON COMMIT DROP AS
            SELECT township_id, min(id) AS first_id, count(*) AS n FROM mentorship_mentor GROUP BY township_id
            """
        )
        # Eight in ten people in the pool have a current lead mentor of their township.
        cursor.execute(
            """
            INSERT INTO mentorship_mentorassignment
                (candidate_id, mentor_id, is_lead, start_date, end_reason, recorded_by_id, created_at)
            SELECT c.id, m.first_id + (c.id %% m.n), true, (c.updated_at + interval '10 days')::date, '',
                   s.organiser_id, c.updated_at + interval '10 days'
            FROM candidates_candidate c
            JOIN seed_mentors m ON m.township_id = c.township_id
            JOIN seed_township s ON s.township_id = c.township_id
            WHERE c.status = 'in_pool' AND c.id %% 10 < 8 AND c.id >= %s
            """,
            [first],
        )
        self.say(f"mentor assignments: {cursor.rowcount}")
        cursor.execute(
            """
            INSERT INTO mentorship_mentoringlog
                (candidate_id, mentor_id, date, kind, content, mentor_comment, recorded_by_id, created_at)
            SELECT a.candidate_id, a.mentor_id, least(a.start_date + (g * 45)::int, current_date),
                   (ARRAY['policy_study', 'speaking', 'villagers_meeting', 'policy_talk', 'mediation',
                          'mass_work'])[1 + (a.id + g) %% 6],
                   '帮带记录', '', a.recorded_by_id, a.created_at + g * interval '45 days'
            FROM mentorship_mentorassignment a
            CROSS JOIN LATERAL generate_series(1, 1 + a.candidate_id %% 4) g
            WHERE a.candidate_id >= %s
            """,
            [first],
        )
        self.say(f"mentoring logs: {cursor.rowcount}")
        cursor.execute(
            """
            INSERT INTO mentorship_placement
                (candidate_id, post_type_id, village_id, start_date, duties, evaluation, recorded_by_id, created_at)
            SELECT c.id, p.ids[1 + c.id %% cardinality(p.ids)], c.village_id, (c.updated_at + interval '30 days')::date,
                   '协助村党组织书记处理日常事务', '', s.organiser_id, c.updated_at + interval '30 days'
            FROM candidates_candidate c
            JOIN seed_township s ON s.township_id = c.township_id
            CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM mentorship_posttype) p
            WHERE c.status = 'in_pool' AND c.id %% 4 = 0 AND c.id >= %s
            """,
            [first],
        )
        self.say(f"placements: {cursor.rowcount}")
        # What the mentorship services keep on each file (no secondments are seeded).
        cursor.execute(
            """
            UPDATE candidates_candidate c SET
                has_current_mentor = EXISTS (SELECT 1 FROM mentorship_mentorassignment a
                                             WHERE a.candidate_id = c.id AND a.end_date IS NULL),
                has_current_post = EXISTS (SELECT 1 FROM mentorship_placement p
                                           WHERE p.candidate_id = c.id AND p.end_date IS NULL)
            WHERE c.status = 'in_pool' AND c.id >= %s
            """,
            [first],
        )
        # One look-back round per district, everyone in its pool reviewed; half the reviews filled.
        cursor.execute(
            """
            INSERT INTO assessments_reviewround
                (unit_id, name, period_start, period_end, due_date, status, opened_by_id, opened_at)
            SELECT s.unit_id, '年度回头看', current_date - 365, current_date - 1, current_date + 30, 'open', s.id, now()
            FROM cadre_pool_user s JOIN cadre_pool_orgunit d ON d.id = s.unit_id
            WHERE d.level = 'district' AND d.code LIKE '99%%' AND s.username LIKE 'staff_%%'
            """
        )
        cursor.execute(
            """
            INSERT INTO assessments_review
                (round_id, candidate_id, political, political_comment, ability, ability_comment, style,
                 style_comment, reputation, reputation_comment, conclusion, conclusion_note, proposal_status,
                 filled_by_id, filled_at)
            SELECT r.id, c.id,
                   f.rating, '', f.rating, '', f.rating, '', f.rating, '',
                   CASE WHEN f.filled THEN 'keep' ELSE '' END, '', '',
                   CASE WHEN f.filled THEN s.organiser_id END, CASE WHEN f.filled THEN now() END
            FROM candidates_candidate c
            JOIN seed_township s ON s.township_id = c.township_id
            JOIN cadre_pool_orgunit t ON t.id = c.township_id
            JOIN assessments_reviewround r ON r.unit_id = t.parent_id
            CROSS JOIN LATERAL (
                SELECT c.id %% 2 = 0 AS filled,
                       CASE WHEN c.id %% 2 = 0 THEN (ARRAY['excellent', 'good', 'good', 'fair'])[1 + c.id %% 4]
                            ELSE '' END AS rating
            ) f
            WHERE c.status = 'in_pool' AND c.id >= %s
            """,
            [first],
        )
        self.say(f"reviews: {cursor.rowcount}")


def scale_accounts() -> dict[str, tuple[str, str]]:
    """username → (role, unit code) of the bench accounts: the province, the first city, and the district
    and township holding the largest township."""
    largest = (
        Candidate.objects.filter(township__code__startswith="99")
        .values("township_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    township = OrgUnit.objects.select_related("parent", "parent__parent").get(pk=largest["township_id"])
    return {
        "scale_province": ("district_staff", PROVINCE_CODE),
        "scale_city": ("district_staff", township.parent.parent.code),
        "scale_district": ("district_staff", township.parent.code),
        "scale_organiser": ("organiser", township.code),
    }
