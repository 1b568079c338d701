"""``python -m packetstudio``: the same as the ``packetstudio`` command."""

import sys

from packetstudio.cli import main

sys.exit(main())
