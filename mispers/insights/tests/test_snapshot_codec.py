"""Snapshots are JSON (ADR 43): the figures come back equal, field by field, and a row naming
any other type is refused rather than rebuilt (a database row never becomes code)."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from mispers.insights import snapshot_codec
from mispers.insights.exploitation import exploitation_figures
from mispers.insights.measures import force_figures
from mispers.insights.period import Period

pytestmark = pytest.mark.django_db


def test_figures_and_exploitation_come_back_equal(force, force_data):
    march = Period(first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 31))
    figures = force_figures(force_id=force.pk, period=march,
                            now=timezone.make_aware(dt.datetime(2026, 4, 5, 12)))
    assert figures.hour_by_day and figures.concentration_curve  # tuple keys and pairs inside
    assert snapshot_codec.loads(snapshot_codec.dumps(figures)) == figures
    exploited = exploitation_figures(force_id=force.pk, period=march)
    assert snapshot_codec.loads(snapshot_codec.dumps(exploited)) == exploited
    charts = {"by_month": "<svg></svg>"}
    assert snapshot_codec.loads(snapshot_codec.dumps(charts)) == charts


def test_a_row_naming_another_type_is_refused():
    forged = json.dumps({"~type": "Popen", "fields": {"args": ["true"]}}).encode()
    with pytest.raises(KeyError):
        snapshot_codec.loads(forged)
    with pytest.raises(ValueError):
        snapshot_codec.loads(b'{"~something": 1}')
