"""Storage: engine factory, ORM models, migrations and repositories.

Only plain frozen records leave this package, never ORM objects, so that a
caller on another thread cannot touch a session it does not own.
"""

from packetstudio.store.database import (
    Database,
    DatabaseError,
    DatabaseUnavailable,
    default_url,
)

__all__ = ["Database", "DatabaseError", "DatabaseUnavailable", "default_url"]
