"""Make the audit table append-only on PostgreSQL (S10).

UPDATE is always refused. DELETE is refused unless the transaction-local setting
`cadre.audit_prune` is 'on' (only `cadre_pool.audit.prune` sets it) AND the row is older than the
retention floor: 184 days, or three years for personal-information processing records. So even
code that sets the flag cannot remove young rows. TRUNCATE is refused for every role that is not a
database superuser (a superuser can drop the trigger anyway; letting it through keeps Django's
test-database flush working). SQLite, used for demos and tests only, gets no trigger.
"""

from django.db import migrations

INSTALL = r"""
CREATE OR REPLACE FUNCTION cadre_audit_append_only() RETURNS trigger AS $$
DECLARE
  floor interval;
BEGIN
  IF TG_OP = 'DELETE' THEN
    floor := interval '184 days';
    IF OLD.personal_info THEN
      floor := interval '1096 days';
    END IF;
    IF coalesce(current_setting('cadre.audit_prune', true), '') = 'on' AND OLD.created_at < now() - floor THEN
      RETURN OLD;
    END IF;
  ELSIF TG_OP = 'TRUNCATE' THEN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      RETURN NULL;
    END IF;
  END IF;
  RAISE EXCEPTION 'cadre_pool_auditevent is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cadre_audit_no_update_delete
  BEFORE UPDATE OR DELETE ON cadre_pool_auditevent
  FOR EACH ROW EXECUTE FUNCTION cadre_audit_append_only();
CREATE TRIGGER cadre_audit_no_truncate
  BEFORE TRUNCATE ON cadre_pool_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION cadre_audit_append_only();
"""

REMOVE = """
DROP TRIGGER IF EXISTS cadre_audit_no_truncate ON cadre_pool_auditevent;
DROP TRIGGER IF EXISTS cadre_audit_no_update_delete ON cadre_pool_auditevent;
DROP FUNCTION IF EXISTS cadre_audit_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("cadre_pool", "0002_security")]

    operations = [migrations.RunPython(install, remove)]
