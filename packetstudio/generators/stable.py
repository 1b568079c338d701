"""What keeps packets the same from run to run, and their caches safe.

Variety between clients comes from SHA-256, never from Python's ``hash()``
(which changes with each interpreter), the clock or a global random
generator. Caches key libraries and food tuples by identity: they hold
pydantic models, which cannot be hashed by value.
"""

from __future__ import annotations

import hashlib
from typing import Generic, TypeVar

T = TypeVar("T")


def hash64(data: bytes) -> int:
    """Return a number from the first 8 bytes of ``data``'s SHA-256."""
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big")


class Identity(Generic[T]):
    """A value hashed and compared by identity, so caches can key on it.

    A cache entry holding this key keeps the value alive, so its id cannot
    be reused while the entry exists.
    """

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Identity) and other.value is self.value
