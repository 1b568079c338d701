"""Facts about movement patterns that every training packet relies on.

Which patterns are multi-joint, the order they take in a session, which
ones make up strength work and where to look when a pattern has no safe
exercise for a client.
"""

from __future__ import annotations

from packetstudio.library.models import MovementPattern

P = MovementPattern

# The multi-joint lifts in session order; the Olympic lifts lead them, being
# fast and technical.
_MULTI_JOINT_ORDER = (
    P.OLYMPIC,
    P.SQUAT,
    P.HINGE,
    P.LUNGE,
    P.HORIZONTAL_PUSH,
    P.HORIZONTAL_PULL,
    P.VERTICAL_PUSH,
    P.VERTICAL_PULL,
)
MULTI_JOINT = frozenset(_MULTI_JOINT_ORDER)

# Large before small and multi-joint before single-joint (ACSM 2009); fast,
# technical work (sprints, jumps, Olympic lifts) comes first, while fresh.
SESSION_ORDER = (
    P.SPEED_AGILITY,
    P.PLYOMETRIC,
    *_MULTI_JOINT_ORDER,
    P.CARRY,
    P.ISOLATION_LOWER,
    P.ISOLATION_UPPER,
    P.ROTATION,
    P.CORE,
    P.CONDITIONING,
    P.MOBILITY,
)
_SESSION_INDEX = {pattern: index for index, pattern in enumerate(SESSION_ORDER)}

# A tuple, not a set: its order decides fallbacks, and set order changes
# with the interpreter's string hashing.
STRENGTH_PATTERNS = (
    P.SQUAT,
    P.HINGE,
    P.HORIZONTAL_PUSH,
    P.HORIZONTAL_PULL,
    P.LUNGE,
    P.VERTICAL_PUSH,
    P.VERTICAL_PULL,
    P.CARRY,
    P.ISOLATION_LOWER,
    P.ISOLATION_UPPER,
    P.CORE,
    P.ROTATION,
)

# Where to look when no safe exercise of a pattern exists, closest first.
# Olympic lifts are never a fallback: they need their own eligibility.
NEAREST_PATTERNS: dict[MovementPattern, tuple[MovementPattern, ...]] = {
    P.SQUAT: (P.LUNGE, P.HINGE, P.ISOLATION_LOWER),
    P.HINGE: (P.SQUAT, P.ISOLATION_LOWER, P.LUNGE),
    P.LUNGE: (P.SQUAT, P.ISOLATION_LOWER, P.HINGE),
    P.HORIZONTAL_PUSH: (P.VERTICAL_PUSH, P.ISOLATION_UPPER),
    P.VERTICAL_PUSH: (P.HORIZONTAL_PUSH, P.ISOLATION_UPPER),
    P.HORIZONTAL_PULL: (P.VERTICAL_PULL, P.ISOLATION_UPPER),
    P.VERTICAL_PULL: (P.HORIZONTAL_PULL, P.ISOLATION_UPPER),
    P.CARRY: (P.CORE, P.ROTATION),
    P.CORE: (P.ROTATION, P.CARRY),
    P.ROTATION: (P.CORE, P.CARRY),
    P.ISOLATION_UPPER: (P.HORIZONTAL_PULL, P.HORIZONTAL_PUSH, P.VERTICAL_PULL),
    P.ISOLATION_LOWER: (P.LUNGE, P.SQUAT, P.HINGE),
    P.OLYMPIC: (P.PLYOMETRIC, P.HINGE),
    P.PLYOMETRIC: (P.SPEED_AGILITY, P.SQUAT, P.LUNGE),
    P.SPEED_AGILITY: (P.PLYOMETRIC, P.CONDITIONING),
    P.CONDITIONING: (P.SPEED_AGILITY, P.CORE),
    P.MOBILITY: (P.CORE,),
}


def session_position(pattern: MovementPattern) -> int:
    """Return where exercises of ``pattern`` go in a session, first is 0."""
    return _SESSION_INDEX[pattern]
