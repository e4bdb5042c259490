"""episode_lock (ADR 20, ADR 31): the caller's object is brought up to the locked row. It reads
the whole row only when the row's version has moved on; every write of an episode bumps it."""

import pytest
from django.db import transaction

from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import EpisodeConflict, episode_lock, episode_touch, timeline_record

pytestmark = pytest.mark.django_db


def test_a_stale_copy_is_brought_up_to_the_row(episode, sergeant, now):
    stale = Episode.objects.get(pk=episode.pk)
    with transaction.atomic():
        episode_touch(episode=Episode.objects.get(pk=episode.pk), actor=sergeant, now=now,
                      last_seen_where="Seen by the canal")
    with transaction.atomic():
        locked = episode_lock(episode=stale)
    assert locked is stale
    assert stale.last_seen_where == "Seen by the canal"
    assert stale.version == episode.version + 1


def test_a_current_copy_forgets_records_cached_before_the_lock(episode, sergeant, now):
    # The timeline prefetched, then an event added (adding one leaves the version as it is).
    current = Episode.objects.prefetch_related("timeline").get(pk=episode.pk)
    before = len(current.timeline.all())
    timeline_record(episode=Episode.objects.get(pk=episode.pk), at=now, actor=sergeant,
                    code=TimelineEvent.Code.ASSESSED, summary="An event added meanwhile")
    with transaction.atomic():
        episode_lock(episode=current)
    assert current.version == Episode.objects.get(pk=episode.pk).version
    assert len(current.timeline.all()) == before + 1


def test_a_copy_of_an_older_version_than_the_user_saw_is_refused(episode):
    with transaction.atomic(), pytest.raises(EpisodeConflict):
        episode_lock(episode=Episode.objects.get(pk=episode.pk),
                     expected_version=episode.version - 1)


def test_an_episode_that_is_gone_is_not_found(episode):
    ghost = Episode(pk="00000000-0000-0000-0000-000000000000", version=1)
    with transaction.atomic(), pytest.raises(Episode.DoesNotExist):
        episode_lock(episode=ghost)
