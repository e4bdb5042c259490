"""The change history's descriptor builds its manager class once (mispers/core/history.py) and
still records and reads every change."""

import pytest
from django.apps import apps
from simple_history.manager import HistoryDescriptor

from mispers.core.history import CachedHistoryDescriptor, history_descriptors_cached


def _tracked():
    return [model for model in apps.get_models()
            if getattr(model._meta, "simple_history_manager_attribute", None)]


def test_every_tracked_model_has_the_cached_descriptor():
    tracked = _tracked()
    assert len(tracked) > 20  # children, episodes, actions, assessments, ... are all tracked
    for model in tracked:
        descriptor = model.__dict__[model._meta.simple_history_manager_attribute]
        assert isinstance(descriptor, CachedHistoryDescriptor), model
    assert history_descriptors_cached() == 0  # nothing left to change


@pytest.mark.django_db
def test_the_cached_descriptor_records_and_reads_history_as_before():
    user_model = apps.get_model("accounts", "User")
    user = user_model.objects.create(username="history-probe", first_name="Before")
    user.first_name = "After"
    user.save()
    other = user_model.objects.create(username="someone-else")
    first, second = user.history, user.history
    assert type(first) is type(second)  # one manager class, not a new one on every access
    assert first.instance is user and first.model is user_model.history.model
    assert [h.first_name for h in user.history.order_by("history_date", "history_id")] == [
        "Before", "After"]
    assert other.history.count() == 1
    assert user_model.history.count() >= 3  # on the class: every user's history
    assert user.history.most_recent().first_name == "After"
    # Built the way django-simple-history builds it: the same manager and queryset classes.
    plain = HistoryDescriptor(user_model.history.model)
    assert type(plain.__get__(user, user_model)).__mro__[1:] == type(first).__mro__[1:]


@pytest.mark.django_db
def test_history_rows_batched_inserts_the_same_rows_later_in_order():
    from mispers.core.history import history_rows_batched

    user_model = apps.get_model("accounts", "User")
    history = user_model.history.model
    with history_rows_batched(batch_size=3):
        users = [user_model.objects.create(username=f"batched-{n}") for n in range(2)]
        assert history.objects.count() == 0  # waiting: fewer than a batch
        users[0].first_name = "Changed"
        users[0].save()
        assert history.objects.count() == 3  # a full batch went in
        users[1].first_name = "Later"
        users[1].save()
        assert history.objects.count() == 3
    rows = list(history.objects.order_by("history_id").values_list(
        "username", "history_type", "first_name"))
    assert rows == [("batched-0", "+", ""), ("batched-1", "+", ""),
                    ("batched-0", "~", "Changed"), ("batched-1", "~", "Later")]
    assert "save" not in vars(history)  # the history models save one by one again
    user_model.objects.create(username="after")
    assert history.objects.count() == 5


@pytest.mark.django_db
def test_history_rows_batched_drops_the_waiting_rows_when_the_block_fails():
    from mispers.core.history import history_rows_batched

    user_model = apps.get_model("accounts", "User")
    history = user_model.history.model
    with pytest.raises(RuntimeError), history_rows_batched():
        user_model.objects.create(username="failed")
        raise RuntimeError("the writer failed")
    assert history.objects.count() == 0
    assert "save" not in vars(history)
