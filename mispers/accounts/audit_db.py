"""Evidence rows the application cannot change: on PostgreSQL, a BEFORE UPDATE OR DELETE row
trigger on every audit table (the access log, the timeline and the other append-only tables,
and every django-simple-history table) raises an exception, whoever runs the statement: the
ORM's save and delete, a queryset update or delete, an ON DELETE SET NULL or CASCADE, raw SQL.

The trigger is installed by migration accounts 0006 and again, idempotently, after every
`migrate` (the app's post_migrate hook), so an audit table added later by another app is covered
without anyone remembering it. SQLite has no such triggers; `AppendOnlyModel` refuses save and
delete there (docs/adr/0019-access-log.md).

One exception, for the synthetic demo only: `synth_reset` deletes the generator's own records
(timeline and history included) after `allow_synthetic_purge()`, which works only for a
database role that owns the table (and could drop the trigger anyway); an application role
without ownership, as production should run, cannot use it."""

from __future__ import annotations

FUNCTION = "mispers_append_only"
TRIGGER = "mispers_append_only"
PURGE_SETTING = "mispers.audit_purge"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('{PURGE_SETTING}', true) = 'synthetic'
       AND pg_has_role(current_user,
                       (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'mispers: % rows are evidence and are never changed or deleted (% refused)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def audit_tables() -> list[str]:
    """Every table of an append-only model (AppendOnlyModel) and every simple-history table."""
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    from mispers.core.models import AppendOnlyModel

    return sorted({
        model._meta.db_table for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
        and issubclass(model, (AppendOnlyModel, HistoricalChanges))})


def tables_with_trigger(connection) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND NOT t.tgisinternal", [TRIGGER])
        return {row[0] for row in cursor.fetchall()}


def append_only_triggers_install(connection, tables: list[str] | None = None) -> list[str]:
    """Create the function and the trigger on each audit table that exists and lacks it;
    returns the tables newly protected. Does nothing on a database other than PostgreSQL."""
    if connection.vendor != "postgresql":
        return []
    wanted = audit_tables() if tables is None else tables
    existing = set(connection.introspection.table_names())
    missing = [t for t in wanted if t in existing and t not in tables_with_trigger(connection)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in missing:
            cursor.execute(f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {quote(table)} "
                           f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()")
    return missing


def append_only_triggers_remove(connection) -> None:
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(tables_with_trigger(connection)):
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


def allow_synthetic_purge(connection) -> None:
    """For `synth_reset` only, inside its transaction: let the table owner delete synthetic
    evidence rows until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'synthetic', true)", [PURGE_SETTING])


def install_after_migrate(sender, *, using="default", **kwargs) -> None:
    """post_migrate: protect audit tables created since (idempotent, quick when none)."""
    from django.db import connections

    append_only_triggers_install(connections[using])
