"""Handout templates: Jinja2 in a sandbox, rendering the handout markup.

Each packet type has a bundled default in ``resources/templates``; staff may
edit it, and the edits are stored with their history (see
:mod:`packetstudio.store.templates`). The markup the templates produce is
described in ``docs/templates.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packetstudio.templates.defaults import default_template, sample_content
from packetstudio.templates.errors import TemplateFailure, TemplateSecurityError

if TYPE_CHECKING:
    from packetstudio.templates.sandbox import render_markup

__all__ = [
    "TemplateFailure",
    "TemplateSecurityError",
    "default_template",
    "render_markup",
    "sample_content",
]


def __getattr__(name: str) -> Any:
    # Jinja2 loads with the first render, not with the app's window.
    if name == "render_markup":
        from packetstudio.templates.sandbox import render_markup

        return render_markup
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
