"""Which packet types apply to a client, and the reason when one does not."""

from __future__ import annotations

from datetime import date

from packetstudio.generators.base import NotApplicable
from packetstudio.intake import YOUTH_AGES, Intake
from packetstudio.vocabulary import SUGGESTED_PACKETS, ClientType, PacketType

ADULT_AGE = 18
NUTRITION_MIN_AGE = 10


def check(packet_type: PacketType, intake: Intake, as_of: date) -> None:
    """Raise :class:`NotApplicable` if ``packet_type`` does not suit the client."""
    age = intake.age_on(as_of)
    low, high = YOUTH_AGES
    if packet_type is PacketType.NUTRITION and age < NUTRITION_MIN_AGE:
        raise NotApplicable(
            f"Nutrition packets are for ages {NUTRITION_MIN_AGE} and over; "
            f"this client is {age}. Young children's eating is best planned with "
            "their family doctor or a paediatric dietitian."
        )
    if packet_type is PacketType.WORKOUT and age < ADULT_AGE:
        raise NotApplicable(
            f"Workout packets are for adults; this client is {age}. "
            f"Use the youth packet for ages {low} to {high}."
        )
    if packet_type is PacketType.PERFORMANCE:
        if intake.client_type is not ClientType.ATHLETE:
            raise NotApplicable(
                "Performance packets are for athletes; set the client type to "
                "athlete and fill in sport and season phase."
            )
        if age < ADULT_AGE:
            raise NotApplicable(
                f"Performance packets are for athletes 18 and over; this athlete "
                f"is {age}. Use the youth packet for ages {low} to {high}."
            )
    if packet_type is PacketType.YOUTH and not low <= age <= high:
        raise NotApplicable(
            f"Youth packets are for ages {low} to {high}; this client is {age}."
        )
    if packet_type is PacketType.RECOVERY and intake.recovery is None:
        raise NotApplicable(
            "Recovery packets need the recovery details (condition, area, pain "
            "now and medical clearance); add them to the intake."
        )


def applies(packet_type: PacketType, intake: Intake, as_of: date) -> bool:
    try:
        check(packet_type, intake, as_of)
    except NotApplicable:
        return False
    return True


def applicable_types(intake: Intake, as_of: date) -> list[PacketType]:
    """Return every packet type that applies to the client, in a stable order."""
    return [t for t in PacketType if applies(t, intake, as_of)]


def suggested_types(intake: Intake, as_of: date) -> list[PacketType]:
    """Return the packet types suggested for the client type that also apply."""
    return [
        t for t in SUGGESTED_PACKETS[intake.client_type] if applies(t, intake, as_of)
    ]
