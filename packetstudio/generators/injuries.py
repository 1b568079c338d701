"""Injuries and health on the intake: what to avoid, say and refer.

An injury that has not healed (or whose status is not given) limits
training: exercises that load its area are swapped. Each injury gets a
safety note, and red flags, high pain, a missing medical clearance or a
listed medical condition open the packet with a "see a physician" notice.
"""

from __future__ import annotations

from packetstudio.generators.base import ContentModel
from packetstudio.intake import Injury, Intake
from packetstudio.vocabulary import BodyArea, InjuryStatus, Side, label

PAIN_REFERRAL = 7


class InjuryNote(ContentModel):
    """What the packet does about one injury on the intake."""

    area: BodyArea
    side: Side | None
    status: InjuryStatus | None
    note: str


def _side_words(injury: Injury) -> str:
    area = label(injury.area).lower()
    if injury.side is None or injury.side is Side.BOTH:
        return f"both sides of the {area}" if injury.side else f"the {area}"
    return f"the {injury.side.value} {area}"


def injured_words(intake: Intake) -> dict[BodyArea, str]:
    """Return plain words for each area to avoid, for swap reasons."""
    words: dict[BodyArea, str] = {}
    for injury in intake.injuries:
        if injury.limits_training:
            status = injury.status.value if injury.status else "status not given"
            words.setdefault(injury.area, f"{_side_words(injury)} ({status})")
    if intake.recovery is not None:
        area = label(intake.recovery.area).lower()
        words.setdefault(intake.recovery.area, f"the {area} you are recovering")
    return words


_STATUS_NOTES: dict[InjuryStatus | None, str] = {
    InjuryStatus.ACUTE: (
        "Acute: every exercise that loads it is left out or swapped. Have it "
        "assessed, and keep the area comfortable while it settles."
    ),
    InjuryStatus.RECOVERING: (
        "Recovering: exercises that load it are swapped. Bring them back only "
        "with your coach or physiotherapist, and stop anything that hurts there."
    ),
    InjuryStatus.CHRONIC: (
        "Chronic: exercises that load it are swapped. Warm the area up well "
        "and stop if symptoms flare during or after a session."
    ),
    InjuryStatus.HEALED: (
        "Healed: trained normally. Build up the load gradually and tell your "
        "coach if pain returns."
    ),
    None: (
        "Status not given, so it is treated as not yet healed: exercises that "
        "load it are swapped. Tell your coach how it is now."
    ),
}


def injury_notes(intake: Intake) -> list[InjuryNote]:
    """Return a safety note for each injury on the intake."""
    return [
        InjuryNote(
            area=injury.area,
            side=injury.side,
            status=injury.status,
            note=f"{label(injury.area)} ({_side_label(injury)}). "
            + _STATUS_NOTES[injury.status],
        )
        for injury in intake.injuries
    ]


def _side_label(injury: Injury) -> str:
    return "side not given" if injury.side is None else f"{injury.side.value} side"


def medical_reasons(intake: Intake) -> list[str]:
    """Return the clearance reason a listed medical condition gives, if any.

    PAR-Q+ treats any chronic condition as a reason to ask a physician or a
    qualified exercise professional first. The conditions themselves are not
    repeated: the reason is printed on page 1.
    """
    if not intake.medical_conditions:
        return []
    return [
        "The intake lists a medical condition: check with a physician or a "
        "qualified exercise professional before starting (PAR-Q+)."
    ]


def recovery_reasons(intake: Intake) -> list[str]:
    """Return why a recovery client must be cleared first, if they must.

    Red flags, pain of 7/10 or more right now, and no medical clearance each
    give a reason.
    """
    details = intake.recovery
    if details is None:
        return []
    reasons: list[str] = []
    if details.red_flags:
        reasons.append(
            "Warning signs (red flags) were reported: stop and see a physician "
            "before exercising."
        )
    if details.pain_now >= PAIN_REFERRAL:
        reasons.append(
            f"Pain right now is {details.pain_now}/10 ({PAIN_REFERRAL} or more): "
            "have it assessed by a physician or physiotherapist first."
        )
    if not details.medical_clearance:
        reasons.append(
            "No medical clearance yet: get a physician's or physiotherapist's "
            "go-ahead before starting."
        )
    return reasons


def clearance_reasons(intake: Intake) -> list[str]:
    """Return every reason to see a physician before starting, in order."""
    return recovery_reasons(intake) + medical_reasons(intake)
