"""django-simple-history, made cheaper where it costs most: its `history` descriptor builds its
manager class once per model, and a bulk writer (the demo's generator) may insert the history rows
in batches.

django-simple-history's `HistoryDescriptor` builds a new manager class
(`HistoryManager.from_queryset(HistoricalQuerySet)`) on every access of `instance.history`, and
it reads that attribute for every historical record it writes: about a twentieth of the time it
took to write the demo's history (ADR 31). `history_descriptors_cached` (called when the apps are
ready) replaces each tracked model's descriptor with one that builds the class once; the manager
it returns is made the same way and behaves the same."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from simple_history.manager import HistoryDescriptor


class CachedHistoryDescriptor(HistoryDescriptor):
    """`HistoryDescriptor` whose manager class is built once, not on every access."""

    def __init__(self, model, manager, queryset) -> None:
        super().__init__(model, manager=manager, queryset=queryset)
        self.manager_for = manager.from_queryset(queryset)

    def __get__(self, instance, owner):
        return self.manager_for(self.model, instance)


def history_descriptors_cached() -> int:
    """Give every model django-simple-history tracks the cached descriptor. How many it
    changed."""
    changed = 0
    for model in apps.get_models():
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        descriptor = model.__dict__.get(name) if name else None
        if type(descriptor) is HistoryDescriptor:
            setattr(model, name, CachedHistoryDescriptor(
                descriptor.model, descriptor.manager_class, descriptor.queryset_class))
            changed += 1
    return changed


def _history_models() -> list:
    return [getattr(model, model._meta.simple_history_manager_attribute).model
            for model in apps.get_models()
            if getattr(model._meta, "simple_history_manager_attribute", None)]


@contextmanager
def history_rows_batched(*, batch_size: int = 1000) -> Iterator[None]:
    """While this lasts, each history row django-simple-history makes (as it always does, on
    every save of a tracked record, with its signals) is inserted with others in one statement
    per model, `batch_size` rows at a time and the rest on leaving, rather than one by one. The
    rows, and their order per table, are those it would have inserted one by one; they reach the
    database later in the same transaction. So only for a writer that reads no change history
    until it ends, inside one transaction (the demo's generator, ADR 31). When the block fails,
    the rows waiting are dropped with the transaction the caller rolls back."""
    pending: list = []

    def keep(row, *args, **kwargs) -> None:
        pending.append(row)
        if len(pending) >= batch_size:
            flush()

    def flush() -> None:
        by_model: dict = {}
        for row in pending:
            by_model.setdefault(type(row), []).append(row)
        pending.clear()
        for model, rows in by_model.items():
            model.objects.bulk_create(rows)

    # A history row with many-to-many history rows of its own must be saved at once (they point
    # to it): none of ours has any, and such a model would be left unbatched.
    patched = [model for model in _history_models()
               if "save" not in vars(model) and not model._history_m2m_fields]
    for model in patched:
        model.save = keep
    try:
        yield
        flush()
    finally:
        for model in patched:
            del model.save
