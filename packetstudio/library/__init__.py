"""The curated exercise, food and sport libraries in ``resources/data``."""

from packetstudio.library.loader import Library, LibraryError, load_library
from packetstudio.library.models import Exercise, Food, Sport

__all__ = ["Exercise", "Food", "Library", "LibraryError", "Sport", "load_library"]
