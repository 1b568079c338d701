"""Exercise selection and dosing shared by the training packet types.

The workout, performance, youth and recovery generators all choose exercises
the same way: only what the client's equipment allows, at or below their
training experience, and never one that loads an area whose injury has not
healed. An exercise that would load such an area is swapped for a safe one of
the same (or the nearest) movement pattern, and the swap is reported.

Sessions are sized with one estimate, stated in the packet as a PacketStudio
convention: each set takes about 40 s of work plus its rest.

This module gathers the shared toolkit under one name (the generators use it
as ``tr``); each step lives in its own module:

- :mod:`~packetstudio.generators.patterns`: movement-pattern facts;
- :mod:`~packetstudio.generators.exercise_rules`: what a client may be given;
- :mod:`~packetstudio.generators.selection`: choosing exercises and swaps;
- :mod:`~packetstudio.generators.injuries`: injury words, safety notes and
  clearance;
- :mod:`~packetstudio.generators.dosing`: sets, reps, rest and load;
- :mod:`~packetstudio.generators.sessions`: fitting sessions into the
  client's minutes, and the week.
"""

from __future__ import annotations

from packetstudio.generators.dosing import (
    Dose,
    PrescribedExercise,
    Scheme,
    SchemeChoice,
    dose,
    prescribe,
    scheme_for,
)
from packetstudio.generators.exercise_rules import (
    LEVEL_RANK,
    LOADING,
    ByPattern,
    Rules,
    candidates,
    has_equipment,
    loads_any,
    qualifies,
    rules_for,
)
from packetstudio.generators.injuries import (
    PAIN_REFERRAL,
    InjuryNote,
    clearance_reasons,
    injured_words,
    injury_notes,
    medical_reasons,
    recovery_reasons,
)
from packetstudio.generators.patterns import (
    MULTI_JOINT,
    NEAREST_PATTERNS,
    STRENGTH_PATTERNS,
)
from packetstudio.generators.selection import (
    Choice,
    Selector,
    Slot,
    Swap,
    client_seed,
    selector_for,
)
from packetstudio.generators.sessions import (
    DAY_NAMES,
    MIN_MAIN_EXERCISES,
    WORK_SECONDS,
    DoseFor,
    ProgressionBlock,
    ScheduleDay,
    SessionPlan,
    block,
    choose,
    exercise_seconds,
    fit,
    order_key,
    plan_session,
    rest_day,
    session_minutes,
    training_day_indexes,
    warm_up_cool_down,
)

__all__ = [
    "DAY_NAMES",
    "LEVEL_RANK",
    "LOADING",
    "MIN_MAIN_EXERCISES",
    "MULTI_JOINT",
    "NEAREST_PATTERNS",
    "PAIN_REFERRAL",
    "STRENGTH_PATTERNS",
    "WORK_SECONDS",
    "ByPattern",
    "Choice",
    "Dose",
    "DoseFor",
    "InjuryNote",
    "PrescribedExercise",
    "ProgressionBlock",
    "Rules",
    "ScheduleDay",
    "Scheme",
    "SchemeChoice",
    "Selector",
    "SessionPlan",
    "Slot",
    "Swap",
    "block",
    "candidates",
    "choose",
    "clearance_reasons",
    "client_seed",
    "dose",
    "exercise_seconds",
    "fit",
    "has_equipment",
    "injured_words",
    "injury_notes",
    "loads_any",
    "medical_reasons",
    "order_key",
    "plan_session",
    "prescribe",
    "qualifies",
    "recovery_reasons",
    "rest_day",
    "rules_for",
    "scheme_for",
    "selector_for",
    "session_minutes",
    "training_day_indexes",
    "warm_up_cool_down",
]
