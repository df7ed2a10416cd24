"""The roll-up of a book or chapter: one status computed from its pages.

The rule (documented in the user guide, "The status table"):

1. a folder without pages has no roll-up;
2. every page complete (status weight 1) -> **Complete**;
3. every page has the same status -> that status (all planned -> **Planned**);
4. no page started (every weight 0) -> **Not started**;
5. otherwise **Partial**, with the percentage complete: the mean of the
   pages' weights (complete 1, partial 0.5, planned and not started 0).

A page without a status counts as weight 0 and matches no status.  Index
pages (README) are not counted: they stand for their folder, and if the
folder's index page sets a status, that status wins and is shown as set by
hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sphinx_mosaic.status.vocabulary import COMPLETE, NOT_STARTED, PARTIAL, Vocabulary


@dataclass(frozen=True)
class Rollup:
    #: The rolled-up status key (None for a folder without pages).
    status: str | None
    #: Pages whose status counts as fully done (weight 1).
    complete: int
    #: Pages counted (every page of the folder except index pages).
    total: int
    #: Percentage complete, shown with a Partial roll-up.
    percent: int
    #: The status was set on the folder's index page, not computed.
    by_hand: bool = False


def rollup(
    statuses: Sequence[str | None], vocabulary: Vocabulary, explicit: str | None = None
) -> Rollup:
    """Roll *statuses* (one per page, None when unset) up into one status."""
    weights = [vocabulary[s].weight if s is not None and s in vocabulary else 0.0 for s in statuses]
    total = len(statuses)
    complete = sum(1 for weight in weights if weight >= 1.0)
    percent = round(100 * sum(weights) / total) if total else 0
    if explicit is not None:
        return Rollup(explicit, complete, total, percent, by_hand=True)
    if not total:
        return Rollup(None, 0, 0, 0)
    if complete == total:
        status: str | None = COMPLETE
    elif statuses[0] is not None and all(s == statuses[0] for s in statuses):
        status = statuses[0]
    elif not any(weights):
        status = NOT_STARTED
    else:
        status = PARTIAL
    return Rollup(status, complete, total, percent)
