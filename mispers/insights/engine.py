"""The force picture's engine (ADR 43): each period's figures and charts, computed once by the
reference implementation (`measures.force_figures`, `charts`) and kept as a snapshot row until
the data they were made from change.

Why a snapshot and not a second implementation (DuckDB, SQL aggregates): the figures are the
reference's own, so they cannot drift from docs/insight-definitions.md; and most of a page's
time at scale is the three periods' queries and the four charts drawn with vl-convert, which a
faster query engine would not save. A snapshot is valid while its stamp matches:

- the code that made it (a digest of measures.py, charts.py and this module);
- the data it was made from: the newest timeline event (every service that changes an episode,
  its assessments, return, interviews, reviews or a merge writes one in the same transaction,
  house rule 4), and the newest change to the force's children, places and care providers
  and the markers of its children (corrections and markers are stamped but write no timeline
  event);
- the time it depends on: "reviews done on time" counts a pending review as late once it is
  overdue, so the number of the force's overdue pending reviews is part of the stamp.

Snapshots are rows in the operational database, so every web process and the huey worker share
them, on SQLite and PostgreSQL alike. A page asks for a period: a fresh snapshot is read, a
stale or missing one is made on demand and stored. The huey task `insights.refresh` keeps the
default view (the last 12 whole months, no filter) warm for each force and prunes old rows."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from mispers.episodes.models import Episode, TimelineEvent
from mispers.partners.models import PartnerOrganisation
from mispers.people import models as people_models
from mispers.people.models import Child, Marker
from mispers.places.models import Place
from mispers.repeats import counting
from mispers.reviews.models import Deadline
from mispers.risk import models as risk_models

from . import charts as chart_module
from . import exploitation as exploitation_module
from . import measures, snapshot_codec
from .measures import NO_FILTERS, REVIEW_KINDS, Figures, Filters, force_figures
from .models import FigureSnapshot
from .period import Period, last_full_months

# The code the figures come from: these modules' text. The rules measures.py asks the models
# for (effective grade, age) and the concentration count live in the other three.
CODE = hashlib.sha1(b"".join(Path(module.__file__).read_bytes() for module in (
    measures, chart_module, exploitation_module, counting, people_models, risk_models))
    + Path(__file__).read_bytes() + Path(snapshot_codec.__file__).read_bytes()).hexdigest()[:12]
KEPT_DAYS = 14  # a snapshot not made again for two weeks is pruned


def data_stamp(*, force_id, now: dt.datetime) -> str:
    """What the force's figures depend on, as one string: equal stamps, equal figures."""
    timeline = TimelineEvent.objects.aggregate(last=Max("id"))["last"]
    children = Child.objects.filter(force_id=force_id).aggregate(last=Max("modified_at"),
                                                                 n=Count("id"))
    places = Place.objects.filter(force_id=force_id).aggregate(last=Max("modified_at"),
                                                               n=Count("id"))
    providers = PartnerOrganisation.objects.aggregate(last=Max("modified_at"))["last"]
    markers = Marker.objects.filter(child__force_id=force_id).aggregate(
        last=Max("modified_at"), n=Count("id"))
    overdue = Deadline.objects.filter(episode__force_id=force_id, kind__in=REVIEW_KINDS,
                                      status=Deadline.Status.PENDING, due_at__lt=now).count()
    parts = [CODE, timeline, children["last"], children["n"], places["last"], places["n"],
             providers, markers["last"], markers["n"], overdue]
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()


def _key(kind: str, period: Period, filters: Filters) -> str:
    digest = hashlib.sha1(repr(filters).encode()).hexdigest()[:16]
    return f"{kind}:{period.first}:{period.last}:{digest}"


def _cached(*, force_id, key: str, stamp: str, now: dt.datetime, make):
    row = (FigureSnapshot.objects.filter(force_id=force_id, key=key)
           .values_list("stamp", "payload").first())
    if row and row[0] == stamp:
        try:
            return snapshot_codec.loads(bytes(row[1]))  # JSON: a row never becomes code
        except (ValueError, KeyError, TypeError):  # unreadable: made again below
            pass
    value = make()
    try:
        with transaction.atomic():
            FigureSnapshot.objects.update_or_create(
                force_id=force_id, key=key,
                defaults={"stamp": stamp, "made_at": now, "payload": snapshot_codec.dumps(value)})
    except IntegrityError:  # another request stored the same snapshot first: it is as good
        pass
    return value


def figures(*, force_id, periods: list[Period], now: dt.datetime,
            filters: Filters = NO_FILTERS, stamp: str | None = None) -> list[Figures]:
    """The figures of each period, exactly `measures.force_figures`'s, from a fresh snapshot
    when there is one."""
    stamp = stamp or data_stamp(force_id=force_id, now=now)
    return [_cached(force_id=force_id, key=_key("figures", period, filters), stamp=stamp,
                    now=now, make=lambda p=period: force_figures(force_id=force_id, period=p,
                                                                 now=now, filters=filters))
            for period in periods]


def charts(*, force_id, period: Period, now: dt.datetime, figures: Figures,
           filters: Filters = NO_FILTERS, stamp: str | None = None) -> dict[str, str]:
    """The force picture's four charts (SVG) of the period's figures."""
    stamp = stamp or data_stamp(force_id=force_id, now=now)

    def make():
        return {"by_month": chart_module.by_month(figures),
                "curve": chart_module.concentration_curve(figures),
                "time_missing": chart_module.time_missing(figures),
                "hour_by_day": chart_module.hour_by_day(figures)}

    return _cached(force_id=force_id, key=_key("charts", period, filters), stamp=stamp,
                   now=now, make=make)


def exploitation(*, force_id, period: Period, now: dt.datetime,
                 filters: Filters = NO_FILTERS, stamp: str | None = None):
    """The period's exploitation figures (`exploitation.exploitation_figures`), kept alike."""
    stamp = stamp or data_stamp(force_id=force_id, now=now)
    return _cached(force_id=force_id, key=_key("exploitation", period, filters), stamp=stamp,
                   now=now, make=lambda: exploitation_module.exploitation_figures(
                       force_id=force_id, period=period, filters=filters))


def refresh(*, force_id, now: dt.datetime, full: bool = False) -> int:
    """Make the default view's snapshots (the last 12 whole months, the period before and a
    year earlier, no filter, with charts) where stale; `full` drops the force's snapshots
    first (a cold start). Prunes snapshots not made for KEPT_DAYS. Returns periods made."""
    if full:
        FigureSnapshot.objects.filter(force_id=force_id).delete()
    FigureSnapshot.objects.filter(force_id=force_id,
                                  made_at__lt=now - dt.timedelta(days=KEPT_DAYS)).delete()
    period = last_full_months(today=timezone.localdate(now))
    periods = [period, period.previous(), period.year_before()]
    stamp = data_stamp(force_id=force_id, now=now)
    made = figures(force_id=force_id, periods=periods, now=now, stamp=stamp)
    charts(force_id=force_id, period=period, now=now, figures=made[0], stamp=stamp)
    exploitation(force_id=force_id, period=period, now=now, stamp=stamp)
    return len(made)


def refresh_all(*, now: dt.datetime) -> dict[str, int]:
    """`refresh` for every force with episodes (the periodic job)."""
    from mispers.accounts.models import Force

    forces = Force.objects.filter(pk__in=Episode.objects.values("force_id").distinct())
    return {force.code: refresh(force_id=force.pk, now=now) for force in forces}
