"""Loading and validating the library files in ``resources/data``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from packetstudio.library.models import Exercise, Food, Sport
from packetstudio.paths import resource

_Entry = TypeVar("_Entry", bound=BaseModel)


class LibraryError(Exception):
    """A library file is missing, is not JSON, or has an invalid entry."""


@dataclass(frozen=True)
class Library:
    """The three curated libraries, validated and indexed by id.

    Attributes:
        version: the ``version`` field shared by the three files; packets record
            it so that the same intake and library give the same packet.
    """

    version: str
    exercises: tuple[Exercise, ...]
    foods: tuple[Food, ...]
    sports: tuple[Sport, ...]

    def exercise(self, exercise_id: str) -> Exercise:
        return self._exercises_by_id[exercise_id]

    def food(self, food_id: str) -> Food:
        return self._foods_by_id[food_id]

    def sport(self, sport_id: str) -> Sport:
        return self._sports_by_id[sport_id]

    # Built once, on first lookup; the library never changes after loading.
    @cached_property
    def _exercises_by_id(self) -> dict[str, Exercise]:
        return {entry.id: entry for entry in self.exercises}

    @cached_property
    def _foods_by_id(self) -> dict[str, Food]:
        return {entry.id: entry for entry in self.foods}

    @cached_property
    def _sports_by_id(self) -> dict[str, Sport]:
        return {entry.id: entry for entry in self.sports}


def _read(path: Path, model: type[_Entry]) -> tuple[str, tuple[_Entry, ...]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LibraryError(f"{path.name}: file not found at {path}") from exc
    except json.JSONDecodeError as exc:
        raise LibraryError(f"{path.name}: not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or "entries" not in document:
        raise LibraryError(
            f"{path.name}: expected an object with 'version' and 'entries'"
        )
    try:
        schema = list[model]  # type: ignore[valid-type]
        entries = TypeAdapter(schema).validate_python(document["entries"])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LibraryError(f"{path.name}: entry {where}: {first['msg']}") from exc
    ids = [getattr(entry, "id") for entry in entries]  # noqa: B009
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LibraryError(f"{path.name}: duplicate ids {', '.join(duplicates)}")
    return str(document.get("version", "")), tuple(entries)


def load_library(folder: Path | None = None) -> Library:
    """Load and validate the exercise, food and sport libraries.

    Args:
        folder: where the three JSON files are; the bundled data by default.

    Raises:
        LibraryError: naming the file and entry that is wrong.
    """
    if folder is None:
        return _bundled()
    return _load(folder)


@cache
def _bundled() -> Library:
    return _load(resource("data"))


def _load(folder: Path) -> Library:
    ex_version, exercises = _read(folder / "exercises.json", Exercise)
    food_version, foods = _read(folder / "foods.json", Food)
    sport_version, sports = _read(folder / "sports.json", Sport)
    versions = {ex_version, food_version, sport_version}
    if len(versions) != 1:
        raise LibraryError(
            f"library files disagree on their version: {sorted(versions)}"
        )
    return Library(versions.pop(), exercises, foods, sports)
