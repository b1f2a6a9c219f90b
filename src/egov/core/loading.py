"""Helpers shared by the idempotent reference-data loaders."""

from collections.abc import Iterable

from django.db.models import Model


def copy_changes(stored: Model, wanted: Model, fields: Iterable[str]) -> bool:
    """Copy onto ``stored`` each of ``fields`` whose value differs in ``wanted``.

    Returns whether anything changed, so a loader updates only rows that differ and a second
    run writes nothing.
    """
    changed = [f for f in fields if getattr(stored, f) != getattr(wanted, f)]
    for f in changed:
        setattr(stored, f, getattr(wanted, f))
    return bool(changed)
