"""The one exception a handout template's mistakes surface as."""

from __future__ import annotations


class TemplateFailure(Exception):
    """A handout template could not be turned into a handout.

    Raised for a syntax error, an undefined variable, markup the handout does
    not know, code that runs past its time limit, or anything else a template
    got wrong. Retrying cannot help, so the queue fails the job at once. The
    arguments are kept in ``args`` so the exception crosses a process
    boundary intact (pickling rebuilds it from them).

    Attributes:
        message: what is wrong, in words a template editor can act on.
        lineno: the template line the problem is on, when known.
    """

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message, lineno)
        self.message = message
        self.lineno = lineno

    def __str__(self) -> str:
        if self.lineno is None:
            return self.message
        return f"line {self.lineno}: {self.message}"


class TemplateSecurityError(TemplateFailure):
    """A template tried to reach something the sandbox keeps out of reach.

    Private names, Python internals and unsafe methods all end here, rather
    than rendering or printing a blank.
    """
