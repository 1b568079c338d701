"""PacketStudio: personalised client handouts for gyms."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("packetstudio")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
