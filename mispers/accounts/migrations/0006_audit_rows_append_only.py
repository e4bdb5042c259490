"""Audit rows cannot be changed or deleted on PostgreSQL: a BEFORE UPDATE OR DELETE trigger on
the access log, the timeline, the sharing log and the other append-only tables, and on every
simple-history table (docs/adr/0019-access-log.md). A no-op on SQLite. Tables created by later
migrations are protected by the post_migrate hook (mispers.accounts.apps)."""

from django.db import migrations


def install(apps, schema_editor):
    from mispers.accounts.audit_db import append_only_triggers_install

    append_only_triggers_install(schema_editor.connection)


def remove(apps, schema_editor):
    from mispers.accounts.audit_db import append_only_triggers_remove

    append_only_triggers_remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_data_protection_role"),
        # Every app with audit tables as committed when this was written, so the tables exist.
        ("episodes", "0003_episode_prefilled_fields_episode_reported_via_and_more"),
        ("people", "0002_child_merged_into_historicalchild_merged_into"),
        ("risk", "0001_initial"),
        ("reviews", "0002_deadline_kind_status_due"),
        ("returns", "0002_historicalreturnhomeinterview_provider_and_more"),
        ("repeats", "0001_initial"),
        ("partners", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
