"""On PostgreSQL the audit rows (access log, timeline, the other append-only tables and every
simple-history table) cannot be changed or deleted through the application's connection,
whatever the statement: a trigger refuses it (docs/adr/0019-access-log.md)."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from mispers.accounts.audit_db import (
    allow_synthetic_purge,
    audit_tables,
    tables_with_trigger,
)
from mispers.accounts.models import AccessLog
from mispers.accounts.services import access_log_children
from mispers.episodes.models import TimelineEvent
from mispers.people.models import Child

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                       reason="the append-only triggers are PostgreSQL's; on SQLite the models "
                              "refuse save and delete (AppendOnlyModel)"),
]


def refused(statement) -> bool:
    try:
        with transaction.atomic():
            statement()
    except DatabaseError as error:
        assert "never changed or deleted" in str(error)
        return True
    return False


def test_every_audit_table_has_the_trigger():
    tables = audit_tables()
    assert {"accounts_accesslog", "episodes_timelineevent", "partners_sharingrecord",
            "people_historicalchild", "accounts_historicaluserrole"} <= set(tables)
    assert set(tables) - tables_with_trigger(connection) == set()


def test_access_log_rows_cannot_be_changed_or_deleted(officer, episode, now):
    access_log_children(user=officer, now=now, channel="page", object_type="child",
                        rows=[episode.child])
    rows = AccessLog.objects.filter(user=officer)
    assert refused(lambda: rows.update(object_type="nothing"))
    assert refused(lambda: rows.delete())
    with connection.cursor() as cursor:
        assert refused(lambda: cursor.execute("DELETE FROM accounts_accesslog"))
    assert rows.get().object_type == "child"


def test_timeline_and_history_rows_cannot_be_changed_or_deleted(episode):
    events = TimelineEvent.objects.filter(episode=episode)
    assert events.exists()
    assert refused(lambda: events.update(summary="rewritten"))
    assert refused(lambda: events.delete())
    history = Child.history.filter(id=episode.child_id)
    assert history.exists()
    assert refused(lambda: history.update(given_name="Someone else"))
    assert refused(lambda: history.delete())


@pytest.mark.django_db(transaction=True)  # a real transaction, so its end can be seen
def test_only_the_synthetic_reset_may_delete_and_only_inside_its_transaction(episode):
    events = TimelineEvent.objects.filter(episode=episode)
    with transaction.atomic():
        allow_synthetic_purge(connection)
        assert refused(lambda: events.update(summary="rewritten"))  # never an update
        events.delete()
    assert not events.exists()
    # The transaction is over: refused again.
    assert refused(lambda: Child.history.filter(id=episode.child_id).delete())
