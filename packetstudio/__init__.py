"""PacketStudio: personalised client handouts for gyms."""

__version__ = "0.1.0"
