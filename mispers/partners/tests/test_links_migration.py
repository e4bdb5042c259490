"""The data migration to consented links (partners 0002, ADR 0014): every organisation-force pair
of the old many-to-many becomes an active link with a `migrated` record, and every existing user
of the organisation works for each of its forces, so nobody loses what they saw."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("partners", "0001_initial")]
AFTER = [("partners", "0002_organisation_force_links")]


def test_existing_links_and_users_are_carried_over():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    applied = [key for key in executor.recorder.applied_migrations()
               if key in executor.loader.graph.nodes]
    apps = executor.loader.project_state(applied).apps
    Force = apps.get_model("accounts", "Force")
    Organisation = apps.get_model("partners", "PartnerOrganisation")
    User = apps.get_model("accounts", "User")
    now = timezone.now()
    devon, _ = Force.objects.get_or_create(code="mig-devon",
                                           defaults={"name": "Mig Devon", "country": "England"})
    kent, _ = Force.objects.get_or_create(code="mig-kent",
                                          defaults={"name": "Mig Kent", "country": "England"})
    shared = Organisation.objects.create(name="Shared Care", kind="care_provider",
                                         created_at=now, modified_at=now)
    shared.forces.set([devon, kent])
    alone = Organisation.objects.create(name="Lonely Home", kind="care_provider",
                                        created_at=now, modified_at=now)
    carer = User.objects.create(username="mig-carer", organisation_id=shared.pk, password="!")
    User.objects.create(username="mig-other", organisation_id=alone.pk, password="!")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Link = apps.get_model("partners", "OrganisationForceLink")
    Event = apps.get_model("partners", "OrganisationLinkEvent")
    links = {(link.organisation_id, link.force_id): link for link in Link.objects.all()}
    assert set(links) == {(shared.pk, "mig-devon"), (shared.pk, "mig-kent")}
    assert {link.status for link in links.values()} == {"active"}
    for link in links.values():
        assert list(link.members.values_list("username", flat=True)) == [carer.username]
    assert Event.objects.filter(code="migrated", organisation_id=shared.pk).count() == 2
    assert not Link.objects.filter(organisation_id=alone.pk).exists()

    # Back to the latest state for the rest of the run.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
