"""The public search's word index: one :class:`SearchToken` row per folded word of a published
item, carrying the item's publication moment, category and commune.

Why a word table rather than ``LIKE '%…%'`` on the items: a substring search cannot use a B-tree
index on either SQLite or PostgreSQL, so at 1,000,000 items it reads them all. A word's rows
in ``(token, published_at DESC, item)`` order are one index range read, and the newest 20
answers containing the word are the first 20 rows of that range. Further words are checked
with ``EXISTS`` on ``(item, token)``, so the query stops as soon as a page is full. The same
index works on both databases (no trigram extension needed). What it cannot do is match part of
a word: "duong" finds "đường", "Đường" and "DUONG", not "duo". See ``docs/feedback.md``.

With a category or commune filter the driver word's rows are read in ``(token, category,
published_at DESC, item)`` (or ``commune``) order from the copies on the rows themselves: joining
each row to its item to test the filter would read eight rows per hit for a category, ~96 for a
commune. :func:`reindex` is the only writer of the rows; every republishing of an item (after
each step that can change what the public sees, and ``egov refresh_public_texts``) calls it when
the public version changed or when :func:`is_stale` finds a copy that no longer matches (the
category or commune changed while the item stayed published).
"""

import re

from egov.core.text import fold

MAX_TOKENS_PER_ITEM = 400
MAX_TOKEN_LENGTH = 40
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order, duplicates kept."""
    return [w[:MAX_TOKEN_LENGTH] for w in _WORDS.findall(fold(text or ""))]


def item_tokens(search_key: str) -> set[str]:
    return set(list(dict.fromkeys(words(search_key)))[:MAX_TOKENS_PER_ITEM])


def reindex(item) -> None:
    """Replace the item's word rows: none unless it is published."""
    from egov.feedback.models import SearchToken

    SearchToken.objects.filter(item=item).delete()
    if item.published_at is None:
        return
    SearchToken.objects.bulk_create(
        SearchToken(
            token=token,
            published_at=item.published_at,
            item=item,
            category_id=item.category_id,
            commune_id=item.commune_id,
        )
        for token in sorted(item_tokens(item.search_key))
    )


def is_stale(item) -> bool:
    """Whether some word row of ``item`` disagrees with it on a copied column (its category or
    commune changed while it stayed published), or exists though the item is not published."""
    from egov.feedback.models import SearchToken

    return (
        SearchToken.objects.filter(item=item)
        .exclude(
            published_at=item.published_at,
            category_id=item.category_id,
            commune_id=item.commune_id,
        )
        .exists()
    )


def query_words(query: str) -> list[str]:
    """The distinct words of a search, the longest (usually the rarest) first."""
    distinct = dict.fromkeys(words(query))
    return sorted(distinct, key=lambda w: (-len(w), w))[:8]
