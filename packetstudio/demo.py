"""Realistic, varied synthetic clients for demos, first runs and benchmarks.

Every intake is drawn from a :class:`random.Random` seeded by the caller, so the
same seed always gives the same clients. The people are invented; their
numbers are plausible for their age and sex, and the mix covers every client
type, diet, allergy, injury area and season phase.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta
from typing import Any

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
    Side,
)

FIRST_NAMES = {
    "female": [
        "Maria",
        "Aiko",
        "Zoë",
        "Fatima",
        "Nguyễn Thị Minh",
        "Olga",
        "Chloe",
        "Priya",
        "Ingrid",
        "Amara",
        "Sofía",
        "Hannah",
        "Mei",
        "Leila",
        "Grace",
        "Yasmin",
        "Ewa",
        "Siobhan",
        "Ana",
        "Keiko",
    ],
    "male": [
        "Tom",
        "Dmitri",
        "Kwame",
        "Lucas",
        "Mateo",
        "Hiroshi",
        "Omar",
        "Liam",
        "Arjun",
        "Jonas",
        "Ravi",
        "Pierre",
        "Tariq",
        "Sven",
        "Diego",
        "Chen",
        "Noah",
        "Jakub",
        "Emeka",
        "Björn",
    ],
}
LAST_NAMES = [
    "Lopez",
    "Becker",
    "Tanaka",
    "Ångström",
    "Okafor",
    "Sokolov",
    "Smith",
    "Nakamura",
    "García",
    "Müller",
    "Khan",
    "O'Brien",
    "Kowalski",
    "Haddad",
    "Johansson",
    "Patel",
    "Dubois",
    "Mensah",
    "Rossi",
    "Novák",
    "Kim",
    "Silva",
    "Fernández",
    "Nguyen",
    "Papadopoulos",
    "Yilmaz",
    "Andersen",
    "Costa",
]
SPORTS = [
    "soccer",
    "basketball",
    "swimming",
    "tennis",
    "distance running",
    "rugby",
    "volleyball",
    "ice hockey",
    "cycling",
    "rowing",
    "boxing",
]
CONDITIONS = {
    BodyArea.ANKLE: "ankle sprain",
    BodyArea.KNEE: "patellofemoral knee pain",
    BodyArea.LOWER_BACK: "non-specific low back pain",
    BodyArea.SHOULDER: "rotator cuff strain",
    BodyArea.HIP: "hip flexor strain",
    BodyArea.NECK: "neck stiffness",
    BodyArea.ELBOW: "tennis elbow",
    BodyArea.WRIST: "wrist sprain",
    BodyArea.UPPER_BACK: "upper back strain",
}
STRUGGLES = [
    "cravings",
    "time",
    "eating_out",
    "late_night_snacking",
    "motivation",
    "budget",
    "cooking_skills",
    "travel",
    "stress_eating",
    "hunger",
]
CONDITIONS_MEDICAL = ["asthma", "high blood pressure", "type 2 diabetes"]
TYPE_WEIGHTS = {
    ClientType.GENERAL: 40,
    ClientType.ATHLETE: 20,
    ClientType.YOUTH: 20,
    ClientType.RECOVERY: 20,
}


def demo_intakes(
    count: int, seed: int = 1, today: date | None = None
) -> list[dict[str, Any]]:
    """Return ``count`` raw intake dicts, the same ones for the same seed."""
    rng = random.Random(seed)
    day = today or date.today()
    return [_one(rng, day) for _ in range(count)]


def _one(rng: random.Random, today: date) -> dict[str, Any]:
    kind = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
    sex = rng.choice(["female", "male"])
    age = _age(rng, kind)
    first = rng.choice(FIRST_NAMES[sex])
    last = rng.choice(LAST_NAMES)
    height, weight = _body(rng, sex, age)
    intake: dict[str, Any] = {
        "full_name": f"{first} {last}",
        "email": f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 999)}@example.com",
        "phone": f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        "sex": sex,
        "date_of_birth": _birthday(rng, age, today).isoformat(),
        "height_cm": height,
        "weight_kg": weight,
        "client_type": kind.value,
        "goal": _goal(rng, kind).value,
        "activity_level": rng.choice(list(ActivityLevel)).value,
        "training_experience": rng.choice(list(Experience)).value,
        "days_per_week": rng.randint(2, 6),
        "session_minutes": rng.choice([30, 45, 60, 75, 90]),
        "preferred_workout_time": rng.choice(
            ["morning", "midday", "evening", "06:30", "18:15"]
        ),
        "equipment": _equipment(rng),
        "diet_type": rng.choices(list(DietType), weights=[50, 12, 8, 8, 8, 6, 8])[
            0
        ].value,
        "allergies": [
            a.value for a in rng.sample(list(Allergen), k=rng.choice([0, 0, 0, 1, 2]))
        ],
        "meals_per_day": rng.randint(3, 5),
        "struggles": rng.sample(STRUGGLES, k=rng.randint(0, 3)),
    }
    if rng.random() < 0.3:
        intake["body_fat_percent"] = round(rng.uniform(12, 38), 1)
    if rng.random() < 0.25:
        intake["injuries"] = [_injury(rng)]
    if rng.random() < 0.1 and age >= 18:
        intake["medical_conditions"] = [rng.choice(CONDITIONS_MEDICAL)]
    _add_type_details(rng, kind, age, intake)
    return intake


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.split(maxsplit=1)[0].lower())
    return "".join(c for c in plain if c.isascii() and c.isalpha()) or "client"


def _age(rng: random.Random, kind: ClientType) -> int:
    if kind is ClientType.YOUTH:
        return rng.randint(8, 17)
    if kind is ClientType.ATHLETE:
        return rng.randint(18, 38)
    return rng.randint(19, 78)


def _birthday(rng: random.Random, age: int, today: date) -> date:
    # A birthday between age and age + 1 years ago, so completed years == age.
    try:
        anniversary = today.replace(year=today.year - age)
    except ValueError:  # 29 February in a year without one
        anniversary = today.replace(year=today.year - age, day=28)
    return anniversary - timedelta(days=rng.randint(1, 360))


def _body(rng: random.Random, sex: str, age: int) -> tuple[float, float]:
    """Return a plausible height (cm) and weight (kg) for the sex and age."""
    if age < 18:
        grown = min(1.0, (age - 7) / 10)
        height = (122 + grown * (48 if sex == "female" else 56)) + rng.gauss(0, 5)
        bmi = rng.uniform(15, 23)
    else:
        height = rng.gauss(164 if sex == "female" else 177, 7)
        bmi = max(17.5, rng.gauss(26, 4.5))
    height = min(210.0, max(115.0, height))
    weight = min(200.0, max(22.0, bmi * (height / 100) ** 2))
    return round(height, 1), round(weight, 1)


def _goal(rng: random.Random, kind: ClientType) -> Goal:
    if kind is ClientType.ATHLETE:
        return rng.choice([Goal.PERFORMANCE, Goal.PERFORMANCE, Goal.MUSCLE_GAIN])
    if kind is ClientType.YOUTH:
        return Goal.GENERAL_HEALTH
    return rng.choice(
        [Goal.FAT_LOSS, Goal.MAINTENANCE, Goal.MUSCLE_GAIN, Goal.GENERAL_HEALTH]
    )


def _equipment(rng: random.Random) -> list[str]:
    gym = [e for e in Equipment if e is not Equipment.BODYWEIGHT]
    if rng.random() < 0.2:
        return [Equipment.BODYWEIGHT.value]
    if rng.random() < 0.5:
        return [e.value for e in Equipment]
    return [Equipment.BODYWEIGHT.value] + [
        e.value for e in rng.sample(gym, k=rng.randint(1, 4))
    ]


def _injury(rng: random.Random) -> dict[str, str]:
    return {
        "area": rng.choice(list(BodyArea)).value,
        "side": rng.choice(list(Side)).value,
        "status": rng.choice(list(InjuryStatus)).value,
    }


def _add_type_details(
    rng: random.Random, kind: ClientType, age: int, intake: dict[str, Any]
) -> None:
    if kind is ClientType.ATHLETE:
        intake["sport"] = rng.choice(SPORTS)
        intake["position"] = rng.choice(["", "starter", "reserve"]) or None
        intake["season_phase"] = rng.choice(list(SeasonPhase)).value
        intake["competition_level"] = rng.choice(["club", "college", "semi-pro"])
    elif kind is ClientType.YOUTH:
        intake["guardian_name"] = (
            f"{rng.choice(FIRST_NAMES['female'])} {intake['full_name'].split()[-1]}"
        )
        intake["school_grade"] = str(max(1, min(12, age - 5)))
        intake["training_experience"] = Experience.BEGINNER.value
    elif kind is ClientType.RECOVERY:
        area = rng.choice(list(BodyArea))
        intake["recovery"] = {
            "condition": CONDITIONS[area],
            "area": area.value,
            "weeks_since_onset": rng.randint(0, 16),
            "pain_now": rng.randint(0, 8),
            "medical_clearance": rng.random() < 0.7,
            "aggravating_movements": rng.sample(
                [
                    "stairs",
                    "running",
                    "lifting overhead",
                    "bending forward",
                    "twisting",
                ],
                k=2,
            ),
            "red_flags": ["night pain"] if rng.random() < 0.05 else [],
        }
    for key in [k for k, v in intake.items() if v is None]:
        del intake[key]
