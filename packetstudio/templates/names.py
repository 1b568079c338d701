"""The names a template may not use: those that start with an underscore.

Python keeps its internals under such names, so the sandbox refuses them as
attributes, as keys, and as the names of a namespace's values.
"""

from __future__ import annotations

from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.utils import Namespace


def refuse_private(name: str) -> None:
    """Refuse a name that starts with an underscore."""
    if name.startswith("_"):
        raise SecurityError(f"the private name {name!r} is not available to templates")


class HandoutNamespace(Namespace):
    """Jinja's namespace, refusing names that start with an underscore.

    A namespace's names are its attributes, and escaping a value calls its
    ``__html__`` attribute without the sandbox seeing the call.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self._Namespace__attrs:
            if isinstance(name, str):
                refuse_private(name)

    def __setitem__(self, name: str, value: Any) -> None:
        refuse_private(name)
        super().__setitem__(name, value)
