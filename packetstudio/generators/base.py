"""What every packet's content has in common, and how a generator refuses."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from packetstudio.generators.sources import Source
from packetstudio.vocabulary import PacketType

# Bumped whenever a generator changes what it produces for the same intake.
GENERATOR_VERSION = "1.1.0"

DISCLAIMER = (
    "This handout gives general fitness and nutrition guidance prepared by your "
    "gym from the answers in your intake. It is not medical advice, a diagnosis "
    "or a treatment plan. Stop any activity that causes chest pain, dizziness, "
    "unusual breathlessness or sharp pain, and talk to a physician or other "
    "qualified health professional before starting if you have a medical "
    "condition, an injury, are pregnant, or are unsure whether this is right "
    "for you."
)


class NotApplicable(Exception):
    """This packet type does not apply to this client; the message says why.

    A permanent refusal, in words a front-desk worker can pass on: it is never
    retried, and nothing is generated wrong instead.
    """


class ContentModel(BaseModel):
    """Base for every piece of packet content: frozen and strict."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class GlanceItem(ContentModel):
    """One line of the "at a glance" box on page 1."""

    label: str
    value: str


class Calculation(ContentModel):
    """A number a client acts on, with how it was computed.

    Attributes:
        explanation: one line a client can follow, with the numbers put in.
        source: key of the :class:`Source` behind the formula.
    """

    value: float
    unit: str
    formula: str
    explanation: str
    source: str


class PacketContent(ContentModel):
    """Fields every packet carries, whatever its type.

    Attributes:
        as_of: the day the packet was made for (age is computed on it).
        needs_clearance: the packet opens with a "see a physician before
            starting" notice.
        clearance_reasons: why, in plain words.
        sources: every guideline or formula a number in the packet comes from.
        conventions: PacketStudio choices that are not guideline text, stated
            as such in the handout.
    """

    packet_type: PacketType
    generator_version: str
    library_version: str
    client_name: str
    as_of: date
    title: str
    summary: str
    at_a_glance: list[GlanceItem]
    needs_clearance: bool = False
    clearance_reasons: list[str] = Field(default_factory=list)
    disclaimer: str = DISCLAIMER
    sources: list[Source]
    conventions: list[str] = Field(default_factory=list)
