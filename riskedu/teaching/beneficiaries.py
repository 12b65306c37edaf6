"""Beneficiary reporting in the shape of GICHD's minimum data for explosive ordnance risk education: for each
session, its location, date, organisation and delivery method, and the people reached by sex and age group.
Aggregate numbers only, never a row per person. Pure functions: no database, no request."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

# Children are under 18 (IMAS: "women, girls, boys and men"); the finer groups follow common mine action
# reporting templates and add up to those four.
AGE_GROUPS = ("0-5", "6-11", "12-17", "18-59", "60+")
CHILD_AGE_GROUPS = frozenset({"0-5", "6-11", "12-17"})
SEXES = ("female", "male")
METHODS = ("face_to_face", "face_to_face_with_app", "app_only")
MAX_PEOPLE_PER_GROUP = 10_000


def count_field(age_group: str, sex: str) -> str:
    """The form field (and CSV column) of one cell: ``female_12_17``, ``male_60_plus``."""
    return f"{sex}_{age_group.replace('-', '_').replace('+', '_plus')}"


def parse_headcounts(form: Mapping[str, str]) -> tuple[dict[tuple[str, str], int], list[str]]:
    """The counts typed into the session form; empty means 0. Returns the counts and the fields in error."""
    counts: dict[tuple[str, str], int] = {}
    wrong: list[str] = []
    for age_group in AGE_GROUPS:
        for sex in SEXES:
            name = count_field(age_group, sex)
            text = (form.get(name) or "").strip()
            if not text:
                continue
            if not text.isdecimal() or int(text) > MAX_PEOPLE_PER_GROUP:
                wrong.append(name)
                continue
            if int(text) > 0:
                counts[(age_group, sex)] = int(text)
    return counts, wrong


class HeadcountRow(NamedTuple):
    """One cell of one recorded session, as the summary query reads it."""

    session_id: str
    held_on: dt.date
    place: str
    organisation: str
    method: str
    class_name: str
    teacher: str
    age_group: str
    sex: str
    people: int


@dataclass
class SessionTotals:
    session_id: str
    held_on: dt.date
    place: str
    organisation: str
    method: str
    class_name: str
    teacher: str
    cells: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def people(self, sexes: Iterable[str], age_groups: Iterable[str]) -> int:
        wanted_ages = set(age_groups)
        wanted_sexes = set(sexes)
        return sum(n for (age, sex), n in self.cells.items() if age in wanted_ages and sex in wanted_sexes)

    @property
    def girls(self) -> int:
        return self.people(["female"], CHILD_AGE_GROUPS)

    @property
    def boys(self) -> int:
        return self.people(["male"], CHILD_AGE_GROUPS)

    @property
    def women(self) -> int:
        return self.people(["female"], set(AGE_GROUPS) - CHILD_AGE_GROUPS)

    @property
    def men(self) -> int:
        return self.people(["male"], set(AGE_GROUPS) - CHILD_AGE_GROUPS)


@dataclass(frozen=True)
class Filters:
    place: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    age_group: str | None = None
    sex: str | None = None

    @property
    def age_groups(self) -> tuple[str, ...]:
        return (self.age_group,) if self.age_group else AGE_GROUPS

    @property
    def sexes(self) -> tuple[str, ...]:
        return (self.sex,) if self.sex else SEXES


def read_filters(args: Mapping[str, str], places: Sequence[str]) -> Filters:
    """Filters from a query string; anything unknown or malformed is ignored rather than refused."""
    return Filters(
        place=args.get("place") if args.get("place") in places else None,
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to")),
        age_group=args.get("age") if args.get("age") in AGE_GROUPS else None,
        sex=args.get("sex") if args.get("sex") in SEXES else None,
    )


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass
class Summary:
    filters: Filters
    sessions: list[SessionTotals]
    cells: dict[tuple[str, str], int]  # (age group, sex) -> people, for the chosen groups only
    by_place: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def summarise(rows: Iterable[HeadcountRow], filters: Filters) -> Summary:
    """Sessions matching the place and dates, counting only the chosen age groups and sexes. A session whose
    chosen groups add up to nobody is left out (it reached no one the filter asks about)."""
    sessions: dict[str, SessionTotals] = {}
    for row in rows:
        if filters.place and row.place != filters.place:
            continue
        if filters.date_from and row.held_on < filters.date_from:
            continue
        if filters.date_to and row.held_on > filters.date_to:
            continue
        totals = sessions.get(row.session_id)
        if totals is None:
            totals = sessions[row.session_id] = SessionTotals(
                row.session_id,
                row.held_on,
                row.place,
                row.organisation,
                row.method,
                row.class_name,
                row.teacher,
            )
        totals.cells[(row.age_group, row.sex)] = row.people
    cells: dict[tuple[str, str], int] = defaultdict(int)
    by_place: dict[str, int] = defaultdict(int)
    kept = []
    for totals in sorted(sessions.values(), key=lambda s: (s.held_on, s.place), reverse=True):
        reached = totals.people(filters.sexes, filters.age_groups)
        if reached == 0:
            continue
        kept.append(totals)
        by_place[totals.place] += reached
        for (age, sex), people in totals.cells.items():
            if age in filters.age_groups and sex in filters.sexes:
                cells[(age, sex)] += people
    return Summary(filters, kept, dict(cells), dict(sorted(by_place.items())))
