"""Hypothesis strategies for valid intakes of every client type."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from packetstudio.intake import Intake, parse_intake
from packetstudio.vocabulary import (
    ActivityLevel,
    Allergen,
    BodyArea,
    ClientType,
    DietType,
    Equipment,
    Experience,
    Goal,
    InjuryStatus,
    SeasonPhase,
    Sex,
    Side,
)

SPORTS = ["soccer", "basketball", "swimming", "tennis", "rugby", "distance running"]
STRUGGLES = [
    "cravings",
    "time",
    "eating_out",
    "late_night_snacking",
    "motivation",
    "budget",
    "something unusual",
]


def _injury() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"area": st.sampled_from([a.value for a in BodyArea])},
        optional={
            "side": st.sampled_from([s.value for s in Side]),
            "status": st.sampled_from([s.value for s in InjuryStatus]),
        },
    )


def _recovery() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "condition": st.sampled_from(
                ["ankle sprain", "knee pain", "low back pain", "shoulder strain"]
            ),
            "area": st.sampled_from([a.value for a in BodyArea]),
            "weeks_since_onset": st.integers(0, 104),
            "pain_now": st.integers(0, 10),
            "medical_clearance": st.booleans(),
            "aggravating_movements": st.lists(
                st.sampled_from(["stairs", "running", "overhead reaching"]),
                max_size=2,
            ),
            "red_flags": st.lists(st.sampled_from(["night pain", "fever"]), max_size=1),
        }
    )


@st.composite
def intake_dicts(
    draw: st.DrawFn, client_type: ClientType | None = None
) -> dict[str, Any]:
    """Draw raw intake JSON that is valid, covering extremes of age and size."""
    kind = client_type or draw(st.sampled_from(list(ClientType)))
    if kind is ClientType.YOUTH:
        age = draw(st.integers(7, 17))
    elif kind is ClientType.ATHLETE:
        age = draw(st.integers(18, 45))
    else:
        age = draw(st.integers(18, 95))
    height = draw(st.floats(120 if age < 12 else 140, 215 if age >= 16 else 190))
    weight = draw(st.floats(25 if age < 12 else 40, 90 if age < 14 else 200))
    data: dict[str, Any] = {
        "full_name": draw(
            st.sampled_from(
                ["Maria Lopez", "Zoë Ångström", "Nguyễn Thị Minh", "Дмитрий Соколов"]
            )
        ),
        "sex": draw(st.sampled_from([s.value for s in Sex])),
        "age": age,
        "height_cm": round(height, 1),
        "weight_kg": round(weight, 1),
        "client_type": kind.value,
        "goal": draw(st.sampled_from([g.value for g in Goal])),
        "activity_level": draw(st.sampled_from([a.value for a in ActivityLevel])),
        "training_experience": draw(st.sampled_from([e.value for e in Experience])),
        "days_per_week": draw(st.integers(1, 7)),
        "session_minutes": draw(st.integers(15, 180)),
        "preferred_workout_time": draw(
            st.sampled_from([None, "morning", "midday", "evening", "06:30", "19:45"])
        ),
        "equipment": draw(
            st.lists(
                st.sampled_from([e.value for e in Equipment]), min_size=1, unique=True
            )
        ),
        "injuries": draw(st.lists(_injury(), max_size=3)),
        "diet_type": draw(st.sampled_from([d.value for d in DietType])),
        "allergies": draw(
            st.lists(st.sampled_from([a.value for a in Allergen]), unique=True)
        ),
        "foods_to_avoid": draw(
            st.lists(
                st.sampled_from(["banana", "broccoli", "salmon", "oats"]), unique=True
            )
        ),
        "meals_per_day": draw(st.integers(2, 6)),
        "struggles": draw(
            st.lists(st.sampled_from(STRUGGLES), unique=True, max_size=3)
        ),
    }
    if draw(st.booleans()):
        data["body_fat_percent"] = round(draw(st.floats(8, 45)), 1)
    if kind is ClientType.ATHLETE:
        data["sport"] = draw(st.sampled_from(SPORTS))
        data["season_phase"] = draw(st.sampled_from([s.value for s in SeasonPhase]))
    if kind is ClientType.RECOVERY:
        data["recovery"] = draw(_recovery())
    if kind is ClientType.YOUTH:
        data["guardian_name"] = "Pat Guardian"
    if data["preferred_workout_time"] is None:
        del data["preferred_workout_time"]
    return data


@st.composite
def intakes(draw: st.DrawFn, client_type: ClientType | None = None) -> Intake:
    """Draw a validated :class:`Intake`."""
    return parse_intake(draw(intake_dicts(client_type)))


AS_OF = date(2026, 12, 3)
