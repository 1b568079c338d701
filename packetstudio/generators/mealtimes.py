"""When a client eats: meal names, clock times and shares of the day's energy.

With a workout, a pre-workout meal comes 90 minutes before it and a
post-workout meal 30 minutes after it ends; the other meals go where they
are farthest apart in a 07:00-20:00 day.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from packetstudio.generators import formulas
from packetstudio.generators.base import ContentModel
from packetstudio.intake import Intake
from packetstudio.vocabulary import WorkoutTime

DAY_START, DAY_END = 7 * 60, 20 * 60
LATEST_MEAL = 23 * 60 + 45
WORKOUT_CLOCK = {
    WorkoutTime.MORNING: 7 * 60 + 30,
    WorkoutTime.MIDDAY: 12 * 60 + 30,
    WorkoutTime.EVENING: 18 * 60,
}
PRE_WORKOUT_MINUTES = 90
EARLIEST_PRE_WORKOUT = 5 * 60 + 30
POST_WORKOUT_MINUTES = 30

# Names by time of day: the first meal in a window takes the first name, a
# second one the next, and so on.
_MEAL_NAMES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (6 * 60, ("Early snack", "Snack", "Second snack")),
    (10 * 60 + 30, ("Breakfast", "Mid-morning snack", "Second breakfast")),
    (15 * 60, ("Lunch", "Afternoon snack", "Snack")),
    (17 * 60 + 30, ("Afternoon snack", "Snack", "Second snack")),
    (24 * 60, ("Dinner", "Evening snack", "Late snack")),
)


class MealSlot(ContentModel):
    """One meal of the day: its name, clock time and share of the energy.

    Attributes:
        time: 24-hour clock, "HH:MM".
        workout_role: "pre-workout", "post-workout" or None.
    """

    name: str
    time: str
    share_percent: int
    kcal: int
    workout_role: str | None = None


def clock(minutes: int) -> str:
    """Return minutes after midnight as a 24-hour clock time, "HH:MM"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def workout_minutes(preferred: str | None) -> int | None:
    """Return the workout's start in minutes after midnight, or None."""
    if preferred is None:
        return None
    if preferred in {t.value for t in WorkoutTime}:
        return WORKOUT_CLOCK[WorkoutTime(preferred)]
    hours, minutes = preferred.split(":")
    return int(hours) * 60 + int(minutes)


def workout_clock(intake: Intake) -> str | None:
    """Return the client's workout start as "HH:MM", or None without one."""
    start = workout_minutes(intake.preferred_workout_time)
    return None if start is None else clock(start)


def _quarter(minutes: float) -> int:
    """Round to the nearest quarter hour, within the day."""
    return min(LATEST_MEAL, max(0, int(minutes / 15 + 0.5) * 15))


def _spread(count: int) -> list[int]:
    """Return ``count`` times spread evenly from 07:00 to 20:00."""
    if count == 1:
        return [DAY_START]
    step = (DAY_END - DAY_START) / (count - 1)
    return [_quarter(DAY_START + i * step) for i in range(count)]


def _fill(times: list[int], count: int) -> list[int]:
    """Add meals where they are farthest from the others, up to ``count``.

    A meal may go at the edge of the 07:00-20:00 day or halfway along the
    longest gap between two meals, whichever leaves the longer gap.
    """
    times = sorted(times)
    while len(times) < count:
        start, end = min(DAY_START, times[0]), max(DAY_END, times[-1])
        options: list[tuple[float, int]] = [
            (times[0] - start, start),
            (end - times[-1], end),
        ]
        options += [
            ((b - a) / 2, _quarter((a + b) / 2)) for a, b in itertools.pairwise(times)
        ]
        _, when = max(options)
        while when in times:  # only when the day is already full
            when = (when + 15) % (24 * 60)
        times = sorted([*times, when])
    return times


def _name_meals(times: Sequence[int]) -> list[str]:
    """Name meals by the time of day; a second meal in a window is a snack."""
    names: list[str] = []
    for minutes in times:
        choices = next(n for end, n in _MEAL_NAMES if minutes < end)
        free = [n for n in choices if n not in names]
        names.append(free[0] if free else f"Snack {len(names) + 1}")
    return names


def _workout_roles(intake: Intake, start: int) -> dict[int, str]:
    """Return the meals anchored to a workout at ``start``, by their time.

    The pre-workout meal moves to 60 minutes before if 90 would be before
    05:30; with two meals a day only the post-workout meal is anchored.
    """
    roles: dict[int, str] = {}
    end = start + intake.session_minutes
    post = _quarter(min(LATEST_MEAL, end + POST_WORKOUT_MINUTES))
    roles[post] = "post-workout"
    if intake.meals_per_day >= 3:
        pre = start - PRE_WORKOUT_MINUTES
        if pre < EARLIEST_PRE_WORKOUT:
            pre = start - 60
        roles[_quarter(max(0, pre))] = "pre-workout"
    return roles


def meal_times(intake: Intake, target_kcal: int) -> list[MealSlot]:
    """Return the day's meals: names, clock times and shares of energy.

    With a workout, a pre-workout meal comes 90 minutes before it (60 if that
    would be before 05:30) and a post-workout meal 30 minutes after it ends;
    the other meals go where they are farthest apart in a 07:00-20:00 day.
    With two meals a day only the post-workout meal is anchored.
    """
    count = intake.meals_per_day
    start = workout_minutes(intake.preferred_workout_time)
    roles = {} if start is None else _workout_roles(intake, start)
    times = _spread(count) if start is None else _fill(list(roles), count)

    names = _name_meals(times)
    weights = [_meal_weight(n, roles.get(t)) for n, t in zip(names, times, strict=True)]
    shares = _percentages(weights)
    return [
        MealSlot(
            name=_with_role(name, roles.get(t)),
            time=clock(t),
            share_percent=share,
            kcal=formulas.whole(target_kcal * share / 100),
            workout_role=roles.get(t),
        )
        for name, t, share in zip(names, times, shares, strict=True)
    ]


def _with_role(name: str, role: str | None) -> str:
    return name if role is None else f"{name} ({role})"


def _meal_weight(name: str, role: str | None) -> float:
    """Main meals weigh 1, snacks 0.5; a post-workout meal a quarter more."""
    weight = 0.5 if "snack" in name.lower() else 1.0
    return weight + 0.25 if role == "post-workout" else weight


def _percentages(weights: Sequence[float]) -> list[int]:
    """Return whole percentages proportional to ``weights`` summing to 100."""
    total = sum(weights)
    raw = [100 * w / total for w in weights]
    shares = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in by_remainder[: 100 - sum(shares)]:
        shares[i] += 1
    return shares
