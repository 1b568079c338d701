"""The ``packetstudio`` command, and ``python -m packetstudio``.

Kept apart from :mod:`packetstudio.cli` and light to import: a render process
started with multiprocessing's "spawn" method imports the program's main
script again, and a frozen build runs it again, before it can become a render
process. Neither then loads the database layer it does not use.
"""

import multiprocessing
import sys

from packetstudio.startup import loading


def main() -> int:
    """Run the command line (or, in a frozen build, a render process)."""
    multiprocessing.freeze_support()
    with loading():
        from packetstudio.cli import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
