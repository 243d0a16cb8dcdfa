"""Small in-memory caches: the newest entries kept, the oldest dropped beyond a size."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections import OrderedDict

__all__ = ["remember"]


def remember(cache: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    """Keep ``value`` under ``key`` in ``cache``, dropping the oldest beyond ``size``."""
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)
