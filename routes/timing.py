"""Times of a wagon-day, from its stops' sessions (pure: no database).

A stop's sessions are booked with the school, so they fix the day: the crew must be parked
`setup_minutes` before the first session starts (`arrive`) and leaves `teardown_minutes` after the
last one ends (`depart`). Between stops the wagon drives and parks; the departure from the depot is
computed backwards from the first stop, the return forwards from the last. Every way a day can fail
is reported as a problem `{"code", "detail", ...}`; the calendar and kit checks need the database
and live in `routes.selectors`.

Times are minutes after midnight, Europe/Amsterdam wall-clock time.
"""

import datetime as dt
from dataclasses import dataclass, field

from routes.travel import Point, TravelModel


def to_minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def fmt(minutes: int | None) -> str | None:
    if minutes is None:
        return None
    minutes = max(0, min(minutes, 24 * 60 - 1))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class WagonDay:
    depot: Point
    work_start: int
    work_end: int
    setup: int
    teardown: int
    max_visits: int


@dataclass(frozen=True)
class StopInput:
    booking_id: int
    point: Point
    start: int  # first session starts
    end: int  # last session ends
    school_day_start: int
    school_day_end: int
    label: str = ""


@dataclass
class StopTimes:
    booking_id: int
    position: int
    arrive: int
    start: int
    end: int
    depart: int
    drive_minutes_from_previous: int
    km_from_previous: float


@dataclass
class RouteTimes:
    stops: list[StopTimes] = field(default_factory=list)
    leave_depot: int | None = None
    return_depot: int | None = None
    drive_minutes_to_depot: int = 0
    km_to_depot: float = 0.0
    total_km: float = 0.0
    total_drive_minutes: int = 0
    problems: list[dict] = field(default_factory=list)


def wagon_day(wagon) -> WagonDay:
    return WagonDay(
        depot=(float(wagon.depot_lat), float(wagon.depot_lon)),
        work_start=to_minutes(wagon.work_start),
        work_end=to_minutes(wagon.work_end),
        setup=wagon.setup_minutes,
        teardown=wagon.teardown_minutes,
        max_visits=wagon.max_visits_per_day,
    )


def stop_input(booking) -> StopInput:
    """From a booking with prefetched sessions (and their workshops) and its school."""
    sessions = list(booking.sessions.all())
    school = booking.school
    if sessions:
        start = min(to_minutes(s.start_time) for s in sessions)
        end = max(to_minutes(s.start_time) + s.workshop.duration_minutes for s in sessions)
    else:  # a booking without sessions occupies the school's morning
        start = to_minutes(school.day_start)
        end = start
    return StopInput(
        booking_id=booking.id,
        point=(float(school.lat), float(school.lon)),
        start=start,
        end=end,
        school_day_start=to_minutes(school.day_start),
        school_day_end=to_minutes(school.day_end),
        label=school.name,
    )


def compute(day: WagonDay, stops: list[StopInput], travel: TravelModel) -> RouteTimes:
    result = RouteTimes()
    if not stops:
        return result
    parking = travel.parking_minutes
    previous_point = day.depot
    previous_depart = None
    for position, stop in enumerate(stops):
        leg = travel.leg(previous_point, stop.point)
        planned_arrive = stop.start - day.setup
        depart = stop.end + day.teardown
        if previous_depart is None:
            arrive = planned_arrive
            result.leave_depot = planned_arrive - parking - leg.minutes
        else:
            earliest = previous_depart + leg.minutes + parking
            arrive = max(planned_arrive, earliest)
            if planned_arrive < previous_depart:
                result.problems.append(
                    {
                        "code": "overlap",
                        "detail": f"Stop {position + 1} ({stop.label}) begint om "
                        f"{fmt(planned_arrive)} met opbouwen, maar stop {position} is pas om "
                        f"{fmt(previous_depart)} afgebouwd.",
                        "booking": stop.booking_id,
                    }
                )
            elif earliest > planned_arrive:
                result.problems.append(
                    {
                        "code": "late_arrival",
                        "detail": f"Stop {position + 1} ({stop.label}): aankomst {fmt(earliest)}, "
                        f"maar het opbouwen moet om {fmt(planned_arrive)} beginnen.",
                        "booking": stop.booking_id,
                        "late_minutes": earliest - planned_arrive,
                    }
                )
        if stop.start < stop.school_day_start or stop.end > stop.school_day_end:
            result.problems.append(
                {
                    "code": "outside_school_day",
                    "detail": f"De sessies bij {stop.label} ({fmt(stop.start)}–{fmt(stop.end)}) "
                    f"vallen buiten de schooldag ({fmt(stop.school_day_start)}–"
                    f"{fmt(stop.school_day_end)}).",
                    "booking": stop.booking_id,
                }
            )
        result.stops.append(
            StopTimes(
                booking_id=stop.booking_id,
                position=position,
                arrive=arrive,
                start=stop.start,
                end=stop.end,
                depart=depart,
                drive_minutes_from_previous=leg.minutes,
                km_from_previous=leg.km,
            )
        )
        result.total_km += leg.km
        result.total_drive_minutes += leg.minutes
        previous_point, previous_depart = stop.point, depart
    back = travel.leg(previous_point, day.depot)
    result.drive_minutes_to_depot = back.minutes
    result.km_to_depot = back.km
    result.return_depot = previous_depart + back.minutes
    result.total_km = round(result.total_km + back.km, 2)
    result.total_drive_minutes += back.minutes
    if result.leave_depot < day.work_start or result.return_depot > day.work_end:
        result.problems.append(
            {
                "code": "outside_working_hours",
                "detail": f"De wagen vertrekt om {fmt(result.leave_depot)} en is om "
                f"{fmt(result.return_depot)} terug; de werktijden zijn {fmt(day.work_start)}–"
                f"{fmt(day.work_end)}.",
            }
        )
    if len(stops) > day.max_visits:
        result.problems.append(
            {
                "code": "too_many_stops",
                "detail": f"{len(stops)} stops, maar deze wagen doet er hoogstens "
                f"{day.max_visits} per dag.",
            }
        )
    return result
