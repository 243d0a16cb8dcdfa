"""Write the demo network's season: evidence, scores, implementation log, reflections, pulse.

The CSV files are the deliverable and are committed; this script is how they were made.
It reads ``participants.csv``, ``memberships.csv`` and ``placemats/*.json`` (run
``_build_placemats.py`` first) and uses a fixed random seed, so every run writes the same
files.

    python data_templates/demo/_build_season.py

The season runs from the first week of school (2026-09-08) to mid-November 2026. In the
evidence, ``subgroup == "all"`` is the collective-wide figure for an indicator on a date;
other subgroups (grades, student groups, schools) break it down. ``n`` is the number of
students, adults, classrooms or sections the figure covers (the description says which).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import statistics
from pathlib import Path
from typing import Any

from ilc_widgets.vocab import EVIDENCE_COLUMNS as CONTRACT_EVIDENCE_COLUMNS

HERE = Path(__file__).resolve().parent
SEASON_START = dt.date(2026, 9, 8)
SEASON_END = dt.date(2026, 11, 13)

EVIDENCE_COLUMNS = list(CONTRACT_EVIDENCE_COLUMNS)  # the data contract's, in order


def read_csv(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(name: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


PEOPLE = read_csv("participants.csv")
EMAIL = {p["name"]: p["email"] for p in PEOPLE}
MEMBERS: dict[str, list[str]] = {}
for _m in read_csv("memberships.csv"):
    MEMBERS.setdefault(_m["collective"], []).append(_m["participant_id"])


def placemat(code: str) -> dict[str, Any]:
    return json.loads((HERE / "placemats" / f"{code}.json").read_text(encoding="utf-8"))


def step_id(code: str, n: int) -> str:
    """The id of the n-th (1-based) theory-of-action step of a collective's placemat."""
    return str(placemat(code)["theory_of_action"][n - 1]["id"])


def indicator_name(code: str, n: int) -> str:
    """The name of the n-th (1-based) indicator of a collective's placemat."""
    return str(placemat(code)["indicators"][n - 1]["name"])


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def weekdays(start: str, end: str, weekday: int, every: int = 1) -> list[dt.date]:
    """Dates from start to end (inclusive) falling on weekday (Mon=0), every n weeks."""
    day = d(start)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    out = []
    while day <= d(end):
        out.append(day)
        day += dt.timedelta(weeks=every)
    return out


RNG = random.Random(20261113)
EVIDENCE: list[dict[str, Any]] = []


def ev(
    code: str,
    day: dt.date | str,
    evidence_type: str,
    indicator: str,
    value: float | None,
    unit: str,
    n: int | None,
    subgroup: str,
    description: str,
    source: str,
    who: str,
) -> None:
    day = d(day) if isinstance(day, str) else day
    assert SEASON_START <= day <= SEASON_END, (code, day)
    assert who in EMAIL, who
    if value is not None:
        value = round(value, 1)
    EVIDENCE.append(
        {
            "collective": code,
            "date": day.isoformat(),
            "evidence_type": evidence_type,
            "indicator": indicator,
            "value": "" if value is None else f"{value:g}",
            "unit": unit,
            "n": "" if n is None else n,
            "subgroup": subgroup,
            "description": description,
            "source": source,
            "entered_by": EMAIL[who],
        }
    )


def spread(
    total: float, weights: dict[str, int], offsets: dict[str, float], noise: float
) -> dict[str, float]:
    """Per-school values around ``total`` whose n-weighted mean is exactly ``total``."""
    raw = {s: total + offsets[s] + RNG.gauss(0, noise) for s in weights}
    mean = sum(raw[s] * w for s, w in weights.items()) / sum(weights.values())
    return {s: raw[s] - mean + total for s in weights}


# =========================================================================== absenteeism-1

A1 = "absenteeism-1"
A1_SCHOOLS = {  # enrollment
    "Harbor View Middle School": 420,
    "Birch Harbor High School": 610,
    "Lakeshore Elementary School": 330,
    "Pinecrest Elementary School": 290,
    "Loon Point Junior/Senior High School": 380,
    "Loon Point Elementary School": 350,
    "Tamarack Elementary School": 260,
}
A1_ENROLLED = sum(A1_SCHOOLS.values())


def absenteeism_1() -> None:
    contact, monday, chronic = (indicator_name(A1, i) for i in (1, 2, 3))
    ev(
        A1,
        "2026-09-11",
        "demographic",
        "",
        A1_ENROLLED,
        "students",
        A1_ENROLLED,
        "all",
        "Fall enrollment in the seven schools (count day is Oct 1; this is week one)",
        "SIS enrollment report",
        "Gary Lindqvist",
    )
    # Flagged students contacted by a mentor within five school days (weekly, per school).
    rates = [41, 54, 63, 69, 67, 75, 79, 83]
    school_bias = {
        "Harbor View Middle School": 4,
        "Birch Harbor High School": -9,
        "Lakeshore Elementary School": 8,
        "Pinecrest Elementary School": 6,
        "Loon Point Junior/Senior High School": -4,
        "Loon Point Elementary School": 5,
        "Tamarack Elementary School": 0,
    }
    for week, (friday, rate) in enumerate(
        zip(weekdays("2026-09-25", "2026-11-13", 4), rates, strict=True)
    ):
        flagged_total, contacted_total = 0, 0
        for school, enrolled in A1_SCHOOLS.items():
            flagged = max(2, round(enrolled / 60 + RNG.gauss(0, 1.6) - 0.15 * week))
            p = min(1.0, max(0.0, (rate + school_bias[school] + RNG.gauss(0, 6)) / 100))
            contacted = round(flagged * p)
            flagged_total += flagged
            contacted_total += contacted
            ev(
                A1,
                friday,
                "school_processes",
                contact,
                100 * contacted / flagged,
                "%",
                flagged,
                school,
                f"{contacted} of {flagged} newly flagged students reached by "
                "their mentor within 5 school days",
                "Mentor contact log",
                "Tomás Villanueva",
            )
        note = "Huddles held in all seven buildings this week"
        if week == 4:
            note = "Dip: two buildings skipped the huddle for conferences"
        ev(
            A1,
            friday,
            "school_processes",
            contact,
            100 * contacted_total / flagged_total,
            "%",
            flagged_total,
            "all",
            f"{contacted_total} of {flagged_total} students. {note}",
            "Mentor contact log",
            "Tomás Villanueva",
        )
        iep_n = max(3, round(flagged_total * 0.22))
        iep_rate = rate - 8 + RNG.gauss(0, 7)
        iep_reached = max(0, min(iep_n, round(iep_n * iep_rate / 100)))
        ev(
            A1,
            friday,
            "school_processes",
            contact,
            100 * iep_reached / iep_n,
            "%",
            iep_n,
            "students with IEPs",
            "Flagged students with IEPs reached within 5 days",
            "Mentor contact log",
            "Aaron Pelletier",
        )
    # Monday average daily attendance (weekly, per school and subgroups).
    mondays = weekdays("2026-09-14", "2026-11-09", 0)
    ada = [89.4, 88.6, 88.9, 87.8, 88.5, 89.3, 88.7, 89.0, 87.9]
    notes = {
        d("2026-09-14"): "First full Monday of the year",
        d("2026-10-05"): "Monday after homecoming weekend at Birch Harbor",
        d("2026-10-19"): "Monday connection circles running in first hour at two schools",
        d("2026-11-09"): "Monday after the deer hunting opener; lowest at the high schools",
    }
    school_offsets = {
        "Harbor View Middle School": 0.4,
        "Birch Harbor High School": -2.1,
        "Lakeshore Elementary School": 1.6,
        "Pinecrest Elementary School": 1.3,
        "Loon Point Junior/Senior High School": -1.8,
        "Loon Point Elementary School": 1.2,
        "Tamarack Elementary School": -0.2,
    }
    for monday_date, total in zip(mondays, ada, strict=True):
        per_school = spread(total, A1_SCHOOLS, school_offsets, 0.9)
        if monday_date == d("2026-11-09"):
            per_school = spread(
                total,
                A1_SCHOOLS,
                {
                    **school_offsets,
                    "Birch Harbor High School": -5.0,
                    "Loon Point Junior/Senior High School": -4.2,
                },
                0.5,
            )
        for school, value in per_school.items():
            ev(
                A1,
                monday_date,
                "demographic",
                monday,
                value,
                "%",
                A1_SCHOOLS[school],
                school,
                "Monday attendance rate",
                "SIS attendance report",
                "Gary Lindqvist",
            )
        ev(
            A1,
            monday_date,
            "demographic",
            monday,
            total,
            "%",
            A1_ENROLLED,
            "all",
            notes.get(monday_date, "Monday attendance rate, seven schools"),
            "SIS attendance report",
            "Gary Lindqvist",
        )
        ev(
            A1,
            monday_date,
            "demographic",
            monday,
            total - 4.6 + RNG.gauss(0, 0.8),
            "%",
            312,
            "students with IEPs",
            "Monday attendance rate, students with IEPs",
            "SIS attendance report",
            "Gary Lindqvist",
        )
        ev(
            A1,
            monday_date,
            "demographic",
            monday,
            total - 3.1 + RNG.gauss(0, 0.9),
            "%",
            158,
            "grade 9",
            "Monday attendance rate, ninth graders (two high schools)",
            "SIS attendance report",
            "Gary Lindqvist",
        )
    # Chronic absenteeism year to date (monthly).
    groups = [
        ("all", A1_ENROLLED, [29.6, 26.3, 25.6]),
        ("students with IEPs", 312, [48.1, 44.2, 42.9]),
        ("American Indian students", 214, [38.3, 34.1, 33.6]),
        ("grade 9", 158, [34.8, 30.4, 29.7]),
        ("kindergarten", 141, [24.1, 21.3, 19.9]),
        ("students experiencing homelessness", 9, [55.6, 44.4, 44.4]),
    ]
    for i, day in enumerate(("2026-09-30", "2026-10-30", "2026-11-13")):
        for subgroup, n, values in groups:
            ev(
                A1,
                day,
                "demographic",
                chronic,
                values[i],
                "%",
                n,
                subgroup,
                "Missed 10% or more of enrolled days so far this year"
                + (
                    " (early-year rates run high: few days enrolled)"
                    if i == 0 and subgroup == "all"
                    else ""
                ),
                "SIS attendance report",
                "Gary Lindqvist",
            )
    # Contextual evidence.
    ev(
        A1,
        "2026-09-25",
        "perceptions",
        "",
        44,
        "% agree",
        1310,
        "grades 5-12",
        "'An adult at school notices when I am absent' (spring 2026: 41%)",
        "Student survey",
        "Hodan Abdi",
    )
    ev(
        A1,
        "2026-09-25",
        "perceptions",
        "",
        31,
        "% agree",
        1310,
        "grades 5-12",
        "'I look forward to Mondays at school'",
        "Student survey",
        "Hodan Abdi",
    )
    ev(
        A1,
        "2026-09-25",
        "perceptions",
        "",
        23,
        "% agree",
        164,
        "students with IEPs",
        "'I look forward to Mondays at school', students with IEPs",
        "Student survey",
        "Aaron Pelletier",
    )
    ev(
        A1,
        "2026-10-09",
        "perceptions",
        "",
        71,
        "%",
        24,
        "families of flagged students",
        "Said the first contact they got about absences was an automated call",
        "Family phone survey",
        "Hodan Abdi",
    )
    ev(
        A1,
        "2026-10-09",
        "perceptions",
        "",
        None,
        "",
        24,
        "families of flagged students",
        "Themes from calls: transportation, sick siblings, 'nobody told us it mattered in "
        "kindergarten'; several asked for text instead of phone",
        "Family phone survey",
        "Hodan Abdi",
    )
    ev(
        A1,
        "2026-10-16",
        "school_processes",
        "",
        4,
        "schools",
        7,
        "all",
        "Schools sending the rewritten partnership-language attendance letter",
        "Huddle notes",
        "Tomás Villanueva",
    )
    ev(
        A1,
        "2026-11-06",
        "school_processes",
        "",
        7,
        "schools",
        7,
        "all",
        "All seven schools now send the rewritten letter",
        "Huddle notes",
        "Tomás Villanueva",
    )
    ev(
        A1,
        "2026-10-16",
        "student_learning",
        "",
        64,
        "%",
        112,
        "students on the flag list",
        "Flagged students passing first hour at the first progress report",
        "Progress report export",
        "Shauna Beaulieu",
    )
    ev(
        A1,
        "2026-11-06",
        "student_learning",
        "",
        71,
        "%",
        118,
        "students on the flag list",
        "Flagged students passing first hour at the second progress report",
        "Progress report export",
        "Jenna Korhonen",
    )
    ev(
        A1,
        "2026-11-06",
        "school_processes",
        "",
        6,
        "students",
        6,
        "students returning after extended absence",
        "Students re-entered with the new warm hand-off protocol since Oct 26",
        "Re-entry protocol log",
        "Aaron Pelletier",
    )


# =========================================================================== absenteeism-2

A2 = "absenteeism-2"


def absenteeism_2() -> None:
    mentor = indicator_name(A2, 1)
    series = [
        ("2026-09-25", 164, 13.4),
        ("2026-10-09", 171, 17.0),
        ("2026-10-23", 176, 15.3),
        ("2026-11-06", 183, 14.2),
    ]
    for day, n, value in series:
        ev(
            A2,
            day,
            "school_processes",
            mentor,
            value,
            "%",
            n,
            "all",
            "Tier 2 attendance students with an active CICO mentor, eight schools",
            "CICO mentor roster",
            "Andre Baptiste",
        )
        hs_n = round(n * 0.54)
        ev(
            A2,
            day,
            "school_processes",
            mentor,
            value - 4 + RNG.gauss(0, 1.5),
            "%",
            hs_n,
            "grades 9-12",
            "High school Tier 2 students with an active mentor",
            "CICO mentor roster",
            "DeShawn Mitchell",
        )
    ev(
        A2,
        "2026-10-09",
        "school_processes",
        "",
        None,
        "",
        8,
        "attendance leads",
        "Three of eight schools have not named an attendance lead; mentors at two schools "
        "stopped daily check-ins during fall testing",
        "Attendance lead meeting notes",
        "Andre Baptiste",
    )
    for district, n, value in [
        ("Millbrook Unified, grades 9-12", 4920, 26.4),
        ("Millbrook Unified, K-8", 9810, 17.9),
        ("Wheatland Consolidated, K-12", 640, 21.6),
        ("Coteau Hills, grades 9-12", 410, 24.1),
    ]:
        ev(
            A2,
            "2026-10-30",
            "demographic",
            "",
            value,
            "%",
            n,
            district,
            "Chronic absence rate year to date",
            "District attendance dashboard",
            "Lorraine Beckstrom" if "Wheatland" in district else "Andre Baptiste",
        )
    ev(
        A2,
        "2026-10-23",
        "perceptions",
        "",
        None,
        "",
        9,
        "students in CICO",
        "Focus group: students like the morning check-in but said it ends when their mentor "
        "has bus duty; two said no one asked why they were absent",
        "Student focus group",
        "Kelsey Brandvold",
    )
    ev(
        A2,
        "2026-10-23",
        "perceptions",
        "",
        3.1,
        "mean (1-5)",
        21,
        "CICO mentors",
        "'I have the time to check in with my students every day'",
        "Mentor survey",
        "Luis Carrillo",
    )


# =========================================================================== equity-belonging-1

EB = "equity-belonging-1"


def equity_belonging_1() -> None:
    known = indicator_name(EB, 1)
    groups = [
        ("all", 2050, [62.0, 68.6, 71.2]),
        ("Black students", 308, [53.9, 62.7, 65.3]),
        ("Latino students", 516, [56.6, 65.5, 68.2]),
        ("multilingual learners", 241, [49.8, 58.1, 61.0]),
        ("students with IEPs", 262, [58.4, 64.1, 66.0]),
    ]
    for i, day in enumerate(("2026-09-30", "2026-10-30", "2026-11-13")):
        for subgroup, n, values in groups:
            ev(
                EB,
                day,
                "school_processes",
                known,
                values[i],
                "%",
                n,
                subgroup,
                "Students marked 'knows well' by at least one adult (four schools mapped)",
                "Relationship map",
                "Carmen Delgado-Ruiz",
            )
    for day, ratio, n in (("2026-09-30", 2.7, 311), ("2026-10-30", 2.4, 402)):
        ev(
            EB,
            day,
            "demographic",
            "",
            ratio,
            "risk ratio",
            n,
            "Black students",
            "Office referrals for defiance or disrespect, Black vs white students "
            f"({n} referrals this month, all categories)",
            "Office referral report",
            "Brian Kowalski",
        )
    ev(
        EB,
        "2026-10-30",
        "demographic",
        "",
        1.9,
        "risk ratio",
        402,
        "Latino students",
        "Office referrals for defiance or disrespect, Latino vs white students",
        "Office referral report",
        "Brian Kowalski",
    )
    ev(
        EB,
        "2026-09-18",
        "perceptions",
        "",
        38,
        "% agree",
        2870,
        "grades 4-12",
        "Spring 2026 climate survey: 'There is an adult at school I could go to with a "
        "problem' (entered as the starting point)",
        "Climate survey",
        "Samir Haddad",
    )
    ev(
        EB,
        "2026-10-23",
        "perceptions",
        "",
        None,
        "",
        12,
        "LGBTQ+ students",
        "Listening session at Otter Creek MS: hallways between 5th and 6th hour and the "
        "locker room named as the least safe places",
        "Student listening session",
        "Jasmine Okafor",
    )


# =========================================================================== tier1-instruction-1

T1 = "tier1-instruction-1"
T1_SCHOOLS = {
    "Prairie Rose Middle School": 16,
    "Coteau Hills Middle School": 13,
    "Wheatland Secondary School": 9,
}


def tier1_instruction_1() -> None:
    walk, exit_ticket, unit = (indicator_name(T1, i) for i in (1, 2, 3))
    offsets = {
        "Prairie Rose Middle School": 3.0,
        "Coteau Hills Middle School": -2.0,
        "Wheatland Secondary School": -2.0,
    }
    for day, rate in zip(
        weekdays("2026-09-25", "2026-11-13", 4, every=2), [34, 41, 47, 55], strict=True
    ):
        visits_total, yes_total = 0, 0
        for school, usual in T1_SCHOOLS.items():
            visits = usual + RNG.randint(-2, 2)
            yes = max(
                0, min(visits, round(visits * (rate + offsets[school] + RNG.gauss(0, 5)) / 100))
            )
            visits_total += visits
            yes_total += yes
            ev(
                T1,
                day,
                "school_processes",
                walk,
                100 * yes / visits,
                "%",
                visits,
                school,
                f"All students responded in {yes} of {visits} classroom visits",
                "Walkthrough form",
                "Amber Fossum",
            )
        ev(
            T1,
            day,
            "school_processes",
            walk,
            100 * yes_total / visits_total,
            "%",
            visits_total,
            "all",
            f"{yes_total} of {visits_total} visits, grades 6-8 core",
            "Walkthrough form",
            "Dale Schroeder",
        )
        co_taught = RNG.randint(4, 6)
        ev(
            T1,
            day,
            "school_processes",
            walk,
            100 * round(co_taught * (rate - 12) / 100) / co_taught,
            "%",
            co_taught,
            "co-taught sections",
            "All-student response in co-taught sections",
            "Walkthrough form",
            "Brianna Hofer",
        )
    exit_groups = [
        ("all", 463, [53.2, 55.1]),
        ("grade 7 science", 231, [49.8, 53.0]),
        ("grade 8 math", 232, [56.5, 57.1]),
        ("students with IEPs", 52, [30.8, 34.6]),
        ("multilingual learners", 29, [37.9, 41.4]),
    ]
    for i, day in enumerate(("2026-09-30", "2026-10-30")):
        for subgroup, n, values in exit_groups:
            ev(
                T1,
                day,
                "student_learning",
                exit_ticket,
                values[i],
                "%",
                n,
                subgroup,
                "Students at mastery on this month's common exit tickets",
                "Common exit tickets",
                "Kevin Tran" if "math" in subgroup else "Maria Esposito",
            )
    unit_groups = [
        ("all", 712, [53.1, 54.0], [705, 698]),
        ("grade 6", 236, [57.2, 56.8], [233, 229]),
        ("grade 7", 240, [47.9, 51.2], [238, 236]),
        ("grade 8", 236, [54.3, 54.1], [234, 233]),
        ("students with IEPs", 81, [29.6, 31.3], [81, 80]),
    ]
    for i, day in enumerate(("2026-10-02", "2026-11-10")):
        for subgroup, _enrolled, values, tested in unit_groups:
            ev(
                T1,
                day,
                "student_learning",
                unit,
                values[i],
                "%",
                tested[i],
                subgroup,
                f"Proficient on the unit {i + 1} common assessment (core courses)",
                "Common unit assessment",
                "Sharon Blackwood",
            )
    ev(
        T1,
        "2026-10-16",
        "perceptions",
        "",
        58,
        "% agree",
        381,
        "grades 6-8",
        "'In this class I am expected to answer, not just listen'",
        "Student exit survey",
        "Jamal Reed",
    )
    ev(
        T1,
        "2026-10-16",
        "perceptions",
        "",
        3.6,
        "mean (1-5)",
        41,
        "grades 6-8 teachers",
        "'Walkthrough feedback helps me adjust my teaching'",
        "Teacher survey",
        "Jamal Reed",
    )
    ev(
        T1,
        "2026-09-30",
        "school_processes",
        "",
        87,
        "referrals",
        79,
        "grades 6-8",
        "Tier 2 referrals for core-content gaps in September (79 students)",
        "MTSS referral log",
        "Sharon Blackwood",
    )
    ev(
        T1,
        "2026-10-30",
        "school_processes",
        "",
        64,
        "referrals",
        58,
        "grades 6-8",
        "Tier 2 referrals for core-content gaps in October (58 students); teams reteaching "
        "in class first",
        "MTSS referral log",
        "Sharon Blackwood",
    )
    ev(
        T1,
        "2026-09-18",
        "demographic",
        "",
        11,
        "%",
        712,
        "grades 6-8",
        "Students with IEPs as a share of grades 6-8 enrollment, three schools",
        "SIS enrollment report",
        "Sharon Blackwood",
    )
    ev(
        T1,
        "2026-09-18",
        "demographic",
        "",
        4,
        "%",
        712,
        "grades 6-8",
        "Multilingual learners as a share of grades 6-8 enrollment, three schools",
        "SIS enrollment report",
        "Sharon Blackwood",
    )


# =========================================================================== grading-1

GR = "grading-1"


def grading_1() -> None:
    sections, df_progress, _semester = (indicator_name(GR, i) for i in (1, 2, 3))
    for day, met, audited in (
        ("2026-09-30", 14, 58),
        ("2026-10-30", 27, 58),
        ("2026-11-13", 35, 58),
    ):
        ev(
            GR,
            day,
            "school_processes",
            sections,
            100 * met / audited,
            "%",
            audited,
            "all",
            f"{met} of {audited} grade 9 core sections met the agreement in the spot audit",
            "Gradebook audit",
            "Martin Fairbanks",
        )
    df_groups = [
        ("all", 1870, [27.4, 23.1]),
        ("students with IEPs", 214, [44.4, 38.8]),
        ("multilingual learners", 131, [38.2, 35.1]),
        ("eligible for free or reduced-price meals", 812, [33.6, 28.9]),
        ("grade 9, Loon Point Jr/Sr High", 56, [25.0, 19.6]),
        ("grade 9, Tamarack Area High", 49, [28.6, 24.5]),
    ]
    for i, day in enumerate(("2026-10-09", "2026-11-13")):
        for subgroup, n, values in df_groups:
            ev(
                GR,
                day,
                "student_learning",
                df_progress,
                values[i],
                "%",
                n,
                subgroup,
                f"Ninth graders with a D or F in a core course, progress report {i + 1}",
                "Progress report export",
                "Stacy Wendt",
            )
    ev(
        GR,
        "2026-10-02",
        "perceptions",
        "",
        46,
        "% agree",
        1224,
        "grade 9",
        "'My grade shows what I know in this class'",
        "Student survey",
        "Priscilla Huang",
    )
    ev(
        GR,
        "2026-10-02",
        "perceptions",
        "",
        71,
        "% agree",
        64,
        "grade 9 core teachers",
        "'I understand our course team's grading agreement'",
        "Teacher survey",
        "Olivia Brennan",
    )
    ev(
        GR,
        "2026-10-02",
        "perceptions",
        "",
        None,
        "",
        64,
        "grade 9 core teachers",
        "Open responses: worry that the 50% floor rewards not trying; want a shared "
        "reassessment form and time to calibrate",
        "Teacher survey",
        "Olivia Brennan",
    )
    ev(
        GR,
        "2026-10-30",
        "school_processes",
        "",
        318,
        "reassessments",
        241,
        "grade 9",
        "Reassessments logged in October by 241 students",
        "Reassessment log",
        "Nate Gustafson",
    )
    ev(
        GR,
        "2026-10-14",
        "school_processes",
        "",
        58,
        "% agreement",
        24,
        "course team leads",
        "Scoring agreement on anonymized common-assessment samples, first calibration",
        "Calibration protocol",
        "Olivia Brennan",
    )
    ev(
        GR,
        "2026-11-11",
        "school_processes",
        "",
        76,
        "% agreement",
        24,
        "course team leads",
        "Scoring agreement, second calibration (lab reports and essays)",
        "Calibration protocol",
        "Hannah Weiss",
    )
    ev(
        GR,
        "2026-09-18",
        "demographic",
        "",
        1870,
        "students",
        1870,
        "grade 9",
        "Grade 9 enrollment in the nine high schools",
        "SIS enrollment report",
        "Martin Fairbanks",
    )
    ev(
        GR,
        "2026-09-18",
        "demographic",
        "",
        63,
        "% of lost points",
        120,
        "failing grades audited",
        "Share of lost points from missing or late work in last year's failing grades",
        "Gradebook audit",
        "Catherine Osei",
    )


# =========================================================================== literacy-1

SL = "literacy-1"
SL_SCHOOLS = {  # K-2 enrollment, grade 1 enrollment
    "Linden Elementary School": (182, 60),
    "Maple Street Elementary School": (154, 50),
    "Willow Bend Elementary School": (171, 55),
    "Rosa Parks Elementary School": (176, 57),
    "Garfield Elementary School": (158, 51),
    "Otter Creek Primary School": (127, 41),
}


def literacy_1() -> None:
    block, screener, dibels = (indicator_name(SL, i) for i in (1, 2, 3))
    offsets = {
        "Linden Elementary School": 6,
        "Maple Street Elementary School": -4,
        "Willow Bend Elementary School": 0,
        "Rosa Parks Elementary School": -6,
        "Garfield Elementary School": 2,
        "Otter Creek Primary School": 4,
    }
    for day, rate in zip(
        weekdays("2026-09-25", "2026-11-13", 4, every=2), [46, 58, 66, 74], strict=True
    ):
        visits_total, yes_total = 0, 0
        for school in SL_SCHOOLS:
            visits = RNG.randint(4, 6)
            yes = max(
                0, min(visits, round(visits * (rate + offsets[school] + RNG.gauss(0, 8)) / 100))
            )
            visits_total += visits
            yes_total += yes
            ev(
                SL,
                day,
                "school_processes",
                block,
                100 * yes / visits,
                "%",
                visits,
                school,
                f"Block taught with all four look-fors in {yes} of {visits} K-2 visits",
                "Walkthrough look-for form",
                "Megan Sorensen",
            )
        ev(
            SL,
            day,
            "school_processes",
            block,
            100 * yes_total / visits_total,
            "%",
            visits_total,
            "all",
            f"{yes_total} of {visits_total} K-2 classroom visits",
            "Walkthrough look-for form",
            "Elaine Fitzgerald",
        )
    grade1 = {s: g1 for s, (_, g1) in SL_SCHOOLS.items()}
    totals = [30.6, 39.4, 47.8]
    for i, day in enumerate(("2026-09-18", "2026-10-16", "2026-11-13")):
        per_school = spread(totals[i], grade1, {s: o / 2 for s, o in offsets.items()}, 2.5)
        for school, value in per_school.items():
            ev(
                SL,
                day,
                "student_learning",
                screener,
                value,
                "%",
                grade1[school],
                school,
                "Average share of screener skills mastered, grade 1",
                "Phonics screener",
                "Rosa Jiménez",
            )
        ev(
            SL,
            day,
            "student_learning",
            screener,
            totals[i],
            "%",
            sum(grade1.values()),
            "all",
            "Average share of screener skills mastered, grade 1",
            "Phonics screener",
            "Rosa Jiménez",
        )
        for subgroup, n, gap in (
            ("multilingual learners", 61, -7.5),
            ("students with IEPs", 19, -13.0),
        ):
            ev(
                SL,
                day,
                "student_learning",
                screener,
                totals[i] + gap + RNG.gauss(0, 1.5),
                "%",
                n,
                subgroup,
                "Average share of screener skills mastered, grade 1",
                "Phonics screener",
                "Sophie Tremblay",
            )
    k2 = sum(e for e, _ in SL_SCHOOLS.values())
    for subgroup, n, value in (
        ("all", k2, 45.2),
        ("kindergarten", 331, 48.9),
        ("grade 1", 314, 42.7),
        ("grade 2", 323, 43.7),
        ("multilingual learners", 187, 29.4),
        ("students with IEPs", 77, 20.8),
    ):
        ev(
            SL,
            "2026-09-25",
            "student_learning",
            dibels,
            value,
            "%",
            n,
            subgroup,
            "At or above benchmark, DIBELS 8 beginning of year",
            "DIBELS 8 benchmark export",
            "Elaine Fitzgerald",
        )
    ev(
        SL,
        "2026-09-25",
        "demographic",
        "",
        19.3,
        "%",
        k2,
        "K-2",
        "Multilingual learners as a share of K-2 enrollment, six schools",
        "SIS enrollment report",
        "Elaine Fitzgerald",
    )
    ev(
        SL,
        "2026-09-16",
        "perceptions",
        "",
        3.1,
        "mean (1-5)",
        47,
        "K-2 teachers",
        "'I feel confident teaching phonemic awareness and phonics explicitly'",
        "Teacher confidence survey",
        "Megan Sorensen",
    )
    ev(
        SL,
        "2026-09-11",
        "school_processes",
        "",
        86,
        "%",
        36,
        "K-2 classrooms",
        "Classrooms with a protected 30-minute foundational skills block (31 of 36)",
        "Master schedule audit",
        "Elaine Fitzgerald",
    )
    ev(
        SL,
        "2026-09-25",
        "school_processes",
        "",
        100,
        "%",
        36,
        "K-2 classrooms",
        "All 36 classrooms have the block scheduled after five schedules were fixed",
        "Master schedule audit",
        "Gwen Adeyemi",
    )
    ev(
        SL,
        "2026-11-06",
        "perceptions",
        "",
        None,
        "",
        9,
        "grade 1 teachers",
        "Teachers at Maple Street said decodables feel 'boring' to stronger readers; asked "
        "for a plan for students who have mastered the unit",
        "PLC notes",
        "Terrence Hughes",
    )


# =========================================================================== multilingual-1

ML = "multilingual-1"


def multilingual_1() -> None:
    ev(
        ML,
        "2026-10-06",
        "demographic",
        "",
        140,
        "students",
        140,
        "English learners",
        "English learners enrolled in Prairie Rose SD (12 in 2021)",
        "State EL report",
        "Joanne Kessler",
    )
    ev(
        ML,
        "2026-10-06",
        "demographic",
        "",
        86,
        "students",
        86,
        "long-term English learners",
        "Grades 6-10 students with 6+ years in EL services, Millbrook Unified",
        "State EL report",
        "Héctor Morales",
    )
    ev(
        ML,
        "2026-10-20",
        "student_learning",
        "",
        34,
        "%",
        47,
        "reclassified students (first year after exit)",
        "Reclassified students with a D or F at the first progress report",
        "Progress report export",
        "Nadia Petrova",
    )
    ev(
        ML,
        "2026-10-20",
        "demographic",
        "",
        7,
        "home languages",
        58,
        "Wheatland families",
        "Home languages named when families were asked directly (Spanish, Mam, K'iche', "
        "Karen, Somali, Arabic, English)",
        "Family intake interviews",
        "Ana Lucía Torres",
    )


# =========================================================================== scores

SCORES: list[dict[str, Any]] = []


def effect_size(pre: list[float], post: list[float]) -> float:
    sd = (statistics.stdev(pre) + statistics.stdev(post)) / 2
    return (statistics.mean(post) - statistics.mean(pre)) / sd


def score_set(
    code: str,
    assessment: str,
    first_ref: int,
    n: int,
    mean: float,
    sd: float,
    target_d: float,
    missing_post: int,
    new_post: int,
    seed: int,
) -> float:
    """Pre/post scores (0-100) for n students whose effect size is close to ``target_d``."""
    rng = random.Random(seed)
    ability = [rng.gauss(0, 1) for _ in range(n + new_post)]
    noise = [rng.gauss(0, 0.55) for _ in range(n + new_post)]
    refs = [f"S{first_ref + i:04d}" for i in range(n + new_post)]
    pre_idx = list(range(n))
    post_idx = [i for i in range(n + new_post) if i not in set(rng.sample(range(n), missing_post))]

    def clip(x: float) -> float:
        return float(max(0, min(100, round(x))))

    pre = [clip(mean + sd * ability[i]) for i in pre_idx]
    best: tuple[float, list[float]] = (9.0, [])
    for step in range(400):
        gain = step * 0.05
        post = [clip(mean + gain + sd * (0.85 * ability[i] + noise[i])) for i in post_idx]
        dist = abs(effect_size(pre, post) - target_d)
        if dist < best[0]:
            best = (dist, post)
    post = best[1]
    for i, score in zip(pre_idx, pre, strict=True):
        SCORES.append(
            {
                "collective": code,
                "assessment": assessment,
                "phase": "pre",
                "student_ref": refs[i],
                "score": f"{score:g}",
            }
        )
    for i, score in zip(post_idx, post, strict=True):
        SCORES.append(
            {
                "collective": code,
                "assessment": assessment,
                "phase": "post",
                "student_ref": refs[i],
                "score": f"{score:g}",
            }
        )
    return effect_size(pre, post)


# =========================================================================== implementation log

LOG: list[dict[str, Any]] = []


def act(code: str, day: str, step: int, who: str, action: str) -> None:
    assert SEASON_START <= d(day) <= SEASON_END
    LOG.append(
        {
            "collective": code,
            "date": day,
            "action": action,
            "toa_step": step_id(code, step),
            "entered_by": EMAIL[who],
        }
    )


def implementation_log() -> None:
    act(
        A1,
        "2026-09-14",
        1,
        "Tomás Villanueva",
        "Started the weekly 20-minute attendance huddle in all seven buildings (AP or "
        "principal, counselor or social worker, attendance secretary).",
    )
    act(
        A1,
        "2026-09-16",
        1,
        "Gary Lindqvist",
        "Pulled the first early-warning list (3+ absences in 30 days) and matched each of the "
        "46 students to a mentor; 31 adults volunteered.",
    )
    act(
        A1,
        "2026-09-21",
        2,
        "Hodan Abdi",
        "Trained mentors on the 'we missed you' contact script and how to log contacts in the "
        "shared sheet.",
    )
    act(
        A1,
        "2026-09-28",
        2,
        "Kristin Halvorsen",
        "First-hour teachers at Harbor View and Birch Harbor High began a five-minute Monday "
        "connection circle.",
    )
    act(
        A1,
        "2026-10-05",
        1,
        "Tomás Villanueva",
        "Rewrote the five-absence letter with two parents: it now opens with what the student "
        "missed and the name of the adult to call.",
    )
    act(
        A1,
        "2026-10-13",
        2,
        "Mai Lee Xiong",
        "Loon Point Elementary added a Monday breakfast with the principal for students on the "
        "flag list.",
    )
    act(
        A1,
        "2026-10-19",
        1,
        "Douglas Ketola",
        "Superintendents agreed to hold county truancy referrals at 10 absences until a mentor "
        "contact and a family meeting have happened.",
    )
    act(
        A1,
        "2026-10-26",
        2,
        "Aaron Pelletier",
        "Drafted a re-entry protocol for students returning after anxiety-related absences "
        "(warm hand-off, adjusted first day).",
    )
    act(
        A1,
        "2026-11-02",
        1,
        "Renee LaPointe",
        "Two buildings skipped the huddle during conferences; Tamarack Elementary moved its "
        "huddle to Tuesday to fit bus duty.",
    )
    act(
        A1,
        "2026-11-06",
        2,
        "Jenna Korhonen",
        "Mentors texted flagged students before the hunting opener weekend to invite them to "
        "Monday's pancake breakfast.",
    )

    act(
        T1,
        "2026-09-15",
        1,
        "Dale Schroeder",
        "Agreed on three look-fors (all-student response, learning target used, reteach from "
        "exit ticket) and built the walkthrough form.",
    )
    act(
        T1,
        "2026-09-22",
        1,
        "Amber Fossum",
        "First calibration walk at Prairie Rose MS: six leaders scored four classrooms "
        "separately, then compared (67% agreement).",
    )
    act(
        T1,
        "2026-09-29",
        2,
        "Sharon Blackwood",
        "Delivered class sets of mini whiteboards to every grade 6-8 core classroom in the "
        "three districts.",
    )
    act(
        T1,
        "2026-10-06",
        2,
        "Kevin Tran",
        "Coaches modeled hinge questions in grade 7 science PLCs at Wheatland and Coteau Hills.",
    )
    act(
        T1,
        "2026-10-20",
        1,
        "Jamal Reed",
        "Second calibration walk at Coteau Hills MS (83% agreement); the form now records "
        "whether feedback went out within 48 hours.",
    )
    act(
        T1,
        "2026-10-27",
        2,
        "Maria Esposito",
        "Grade 7 science teams regrouped from exit tickets for a 20-minute in-class reteach "
        "instead of sending students to Tier 2.",
    )
    act(
        T1,
        "2026-11-03",
        2,
        "Brianna Hofer",
        "Co-teachers in two sections planned unit 3 together so students with IEPs get the "
        "grade-level task with scaffolds.",
    )
    act(
        T1,
        "2026-11-10",
        1,
        "Dale Schroeder",
        "Principals shared walkthrough trends with staff (no teacher names) and set wait time "
        "as November's feedback focus.",
    )

    act(
        SL,
        "2026-09-09",
        1,
        "Elaine Fitzgerald",
        "Audited master schedules: 31 of 36 K-2 classrooms had a protected 30-minute "
        "foundational skills block; principals fixed the rest.",
    )
    act(
        SL,
        "2026-09-17",
        1,
        "Megan Sorensen",
        "Wrote four look-fors for the block: explicit sound-spelling, blending drill, "
        "dictation, decodable practice.",
    )
    act(
        SL,
        "2026-09-24",
        2,
        "Rosa Jiménez",
        "Sorted decodable text sets by scope-and-sequence unit and moved them from the book "
        "room into every K-2 classroom.",
    )
    act(
        SL,
        "2026-10-01",
        2,
        "Sophie Tremblay",
        "Replaced the three-cueing bookmark in small-group kits with a decoding prompt card: "
        "look at the letters, say the sounds, blend.",
    )
    act(
        SL,
        "2026-10-08",
        1,
        "Terrence Hughes",
        "Joint walkthroughs at Maple Street and Linden with principals and coaches; feedback "
        "to every teacher within two days.",
    )
    act(
        SL,
        "2026-10-15",
        2,
        "Gwen Adeyemi",
        "Grade 1 teachers regrouped small groups by phonics screener skill instead of by "
        "reading level.",
    )
    act(
        SL,
        "2026-10-29",
        2,
        "Keisha Morgan",
        "Used PLC time to model the dictation routine; teachers practiced on each other before "
        "trying it with students.",
    )
    act(
        SL,
        "2026-11-05",
        1,
        "Daniel Reyes",
        "Agreed with special education on a screener-first review of instruction before any "
        "K-1 dyslexia evaluation referral.",
    )
    act(
        SL,
        "2026-11-12",
        2,
        "Vanessa Cho",
        "Piloted a morphology routine (prefix and suffix sorts) in two grade 3 intervention "
        "groups.",
    )

    act(
        GR,
        "2026-09-16",
        1,
        "Catherine Osei",
        "Drafted the common grading agreement: 50% floor, work habits reported separately, one "
        "reassessment per summative.",
    )
    act(
        GR,
        "2026-09-23",
        1,
        "Martin Fairbanks",
        "Trained course team leads to run the gradebook spot audit; 58 grade 9 core sections "
        "in scope.",
    )
    act(
        GR,
        "2026-09-30",
        2,
        "Nate Gustafson",
        "Birch Harbor High science and Otter Creek High English began reassessment with a "
        "required relearning ticket.",
    )
    act(
        GR,
        "2026-10-07",
        1,
        "Wade Johansen",
        "Principals presented the agreement at staff meetings in seven of nine high schools; "
        "two postponed to November.",
    )
    act(
        GR,
        "2026-10-14",
        2,
        "Olivia Brennan",
        "Course teams calibrated scoring of the first common assessment on anonymized student "
        "work (58% agreement).",
    )
    act(
        GR,
        "2026-10-21",
        2,
        "Priscilla Huang",
        "Added a work-habits column that does not count toward the grade to the grade 9 "
        "gradebook template.",
    )
    act(
        GR,
        "2026-11-04",
        1,
        "Stacy Wendt",
        "Called the families of every ninth grader with two or more Fs on the October "
        "progress report; 74 conversations logged.",
    )
    act(
        GR,
        "2026-11-11",
        2,
        "Hannah Weiss",
        "Second calibration round (76% agreement); teams wrote common proficiency descriptors "
        "for lab reports.",
    )


# =========================================================================== reflections

REFLECTIONS: list[dict[str, Any]] = []


def reflect(
    code: str, day: str, who: str, went_well: str, didnt: str, learned: str, adjust: str
) -> None:
    assert SEASON_START <= d(day) <= SEASON_END
    REFLECTIONS.append(
        {
            "collective": code,
            "meeting_date": day,
            "went_well": went_well,
            "didnt_go_well": didnt,
            "learned": learned,
            "adjust": adjust,
            "entered_by": EMAIL[who],
        }
    )


def reflections() -> None:
    reflect(
        A1,
        "2026-10-13",
        "Kristin Halvorsen",
        "Every building is holding the huddle, and mentors reached over half of flagged "
        "students within five days by the second week. Kids notice: two students at Harbor "
        "View asked their mentor to 'check on' a friend.",
        "Birch Harbor High is lagging on contacts; the list is long and mentors there are "
        "mostly coaches with evening practices. The Monday numbers haven't moved much yet.",
        "A personal contact in the first week matters more than the letter. Families told "
        "Hodan the automated call felt like being reported.",
        "Recruit more mentors at the high school from non-coaching staff, and try a shorter "
        "text-based first contact when a call is not possible.",
    )
    reflect(
        A1,
        "2026-11-10",
        "Tomás Villanueva",
        "Contact within five days is over 80% across the seven schools. All schools now send "
        "the rewritten letter, and first-hour passing rates for flagged students went up.",
        "Monday attendance is barely above last year; the hunting opener and conference week "
        "knocked us back. Students with IEPs are still reached less often.",
        "Our leading indicator is moving faster than the outcome we care about. We may be "
        "reaching students without changing what Monday feels like for them.",
        "Ask special education case managers to be the mentor for flagged students with IEPs; "
        "plan a Monday-after-the-opener event earlier; look at Monday attendance by period, "
        "not just the day.",
    )
    reflect(
        T1,
        "2026-10-20",
        "Amber Fossum",
        "Calibration walks changed the conversation: we argued about what 'all students "
        "respond' means and came out with a shared picture. Teachers like the whiteboards.",
        "Feedback within 48 hours happened about half the time; fall testing ate our "
        "walkthrough days. Unit 1 results were flat.",
        "When leaders disagree on what they saw, teachers get mixed messages; calibration "
        "first, feedback second.",
        "Block two walkthrough mornings a week on principals' calendars and track feedback "
        "turnaround on the form.",
    )
    reflect(
        T1,
        "2026-11-12",
        "Dale Schroeder",
        "Over half of visits now show an all-student response, up from under a third. Tier 2 "
        "referrals for core-content gaps dropped from 87 to 64.",
        "Unit 2 proficiency is about where we started, and exit-ticket mastery is only a few "
        "points up. The pre/post on the grade 7 ecosystems unit shows almost no growth.",
        "Getting every student to respond is not the same as acting on what they said. "
        "Reteaching is happening in some rooms, not most.",
        "Make the third look-for (reteach within 48 hours) the December focus, and bring "
        "student work from exit tickets to every PLC.",
    )
    reflect(
        SL,
        "2026-10-08",
        "Megan Sorensen",
        "Every K-2 classroom has the block in the schedule and decodables are in the rooms. "
        "Teachers tried the prompt card right away.",
        "Some small groups still look like guided reading with decodable books swapped in, "
        "and with four to six visits per school, one visit swings a school's percentage.",
        "Schedule changes are the easy part; the prompts teachers use in the moment are the "
        "hard part.",
        "Model prompting live in small groups during coaching cycles, not just in PLC.",
    )
    reflect(
        SL,
        "2026-11-13",
        "Gwen Adeyemi",
        "Grade 1 screener mastery went from about 31% to 48% in two months, and the phonics "
        "inventory pre/post shows real growth. Walkthroughs show the block taught as designed "
        "in three of four visits.",
        "Multilingual learners and students with IEPs are growing but the gap is not closing. "
        "Some teachers worry decodables bore stronger readers.",
        "Grouping by skill let teachers move students faster than leveled groups ever did.",
        "Add oral language routines for multilingual learners, and write a plan for students "
        "who have mastered the unit (extension decodables, writing).",
    )
    reflect(
        GR,
        "2026-10-15",
        "Olivia Brennan",
        "Course teams took the audit seriously, and the first calibration showed teachers "
        "how differently we score the same paper.",
        "Only 58% agreement on scoring, and two high schools have not presented the "
        "agreement to staff yet. Pushback about the 50% floor is loud in two departments.",
        "The floor gets all the attention; reassessment and separating work habits are what "
        "students actually notice.",
        "Lead with reassessment when presenting to the remaining schools, and share student "
        "voice from the survey.",
    )
    reflect(
        GR,
        "2026-11-13",
        "Catherine Osei",
        "Ds and Fs at the progress report fell from about 27% to 23%, and 35 of 58 sections "
        "now meet the agreement. Calibration agreement is up to 76%.",
        "Students with IEPs and multilingual learners still fail at much higher rates, and "
        "we don't yet know if semester grades will follow.",
        "Calling families at the progress report changed the tone from 'your child is "
        "failing' to 'here is how to recover'.",
        "Add case managers and EL teachers to the reassessment conversation; audit the 23 "
        "sections that don't yet meet the agreement before semester grades close.",
    )
    reflect(
        A2,
        "2026-11-06",
        "Andre Baptiste",
        "We agree on the problem and have a roster of Tier 2 students in every school.",
        "Mentor coverage is stuck near 15%; three schools still have no attendance lead and "
        "daily check-ins stopped during testing.",
        "A plan on paper without a named person in each building does not run.",
        "Ask each principal to name an attendance lead by Thanksgiving, and finish our theory "
        "of action and lagging indicator before the next session.",
    )


# =========================================================================== pulse survey

ITEMS = ["su1", "su2", "su3", "jw1", "jw2", "jw3", "ei1", "ei2", "ei3"]
DIMENSION_START = {"su": 3.3, "jw": 2.9, "ei": 2.5}
GAINS = {  # per collective: gain per dimension between start and review
    "absenteeism-1": {"su": 0.4, "jw": 0.6, "ei": 0.6},
    "tier1-instruction-1": {"su": 0.5, "jw": 0.4, "ei": 0.3},
    "literacy-1": {"su": 0.4, "jw": 0.5, "ei": 0.7},
    "grading-1": {"su": 0.5, "jw": 0.4, "ei": 0.4},
    "absenteeism-2": {"su": 0.2, "jw": 0.0, "ei": 0.1},
    "equity-belonging-1": {"su": 0.3, "jw": 0.3, "ei": 0.1},
    "multilingual-1": {},  # start wave only: this collective has not held its review yet
}
PULSE: list[dict[str, Any]] = []


def pulse() -> None:
    rng = random.Random(777)
    item_offset = {item: rng.gauss(0, 0.15) for item in ITEMS}
    for code, gains in GAINS.items():
        members = MEMBERS[code]
        start_day = rng.choice([d("2026-09-15"), d("2026-09-17"), d("2026-09-22")])
        review_day = rng.choice([d("2026-11-03"), d("2026-11-05"), d("2026-11-10")])
        for pid in members:
            person = rng.gauss(0, 0.45)
            answers_start = rng.random() < 0.88
            answers_review = bool(gains) and rng.random() < (0.9 if answers_start else 0.7)
            for wave, day, on in (
                ("start", start_day, answers_start),
                ("review", review_day, answers_review),
            ):
                if not on:
                    continue
                moment = dt.datetime.combine(
                    day + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2])),
                    dt.time(rng.randint(15, 20), rng.randint(0, 59)),
                )
                for item in ITEMS:
                    dim = item[:2]
                    mean = DIMENSION_START[dim] + person + item_offset[item]
                    if wave == "review":
                        mean += gains[dim]
                    score = max(1, min(5, round(mean + rng.gauss(0, 0.6))))
                    PULSE.append(
                        {
                            "collective": code,
                            "participant_id": pid,
                            "wave": wave,
                            "item_id": item,
                            "score": score,
                            "submitted_at": moment.isoformat(timespec="minutes"),
                        }
                    )


# =========================================================================== main


def main() -> None:
    absenteeism_1()
    absenteeism_2()
    equity_belonging_1()
    tier1_instruction_1()
    grading_1()
    literacy_1()
    multilingual_1()
    EVIDENCE.sort(key=lambda r: (r["collective"], r["date"], r["indicator"], r["subgroup"]))
    write_csv("evidence.csv", EVIDENCE_COLUMNS, EVIDENCE)

    d_lit = score_set(
        SL,
        "Grade 1 phonics inventory, units 1-4",
        1,
        52,
        41,
        17,
        0.45,
        missing_post=3,
        new_post=1,
        seed=9,
    )
    d_t1 = score_set(
        T1,
        "Grade 7 science, ecosystems unit assessment",
        201,
        56,
        58,
        15,
        0.10,
        missing_post=2,
        new_post=0,
        seed=9,
    )
    write_csv("scores.csv", ["collective", "assessment", "phase", "student_ref", "score"], SCORES)

    implementation_log()
    write_csv(
        "implementation_log.csv", ["collective", "date", "action", "toa_step", "entered_by"], LOG
    )
    reflections()
    write_csv(
        "reflections.csv",
        [
            "collective",
            "meeting_date",
            "went_well",
            "didnt_go_well",
            "learned",
            "adjust",
            "entered_by",
        ],
        REFLECTIONS,
    )
    pulse()
    write_csv(
        "pulse_responses.csv",
        ["collective", "participant_id", "wave", "item_id", "score", "submitted_at"],
        PULSE,
    )
    print(
        f"evidence rows: {len(EVIDENCE)}; scores: {len(SCORES)} (d literacy {d_lit:.2f}, "
        f"d tier 1 {d_t1:.2f}); actions: {len(LOG)}; reflections: {len(REFLECTIONS)}; "
        f"pulse answers: {len(PULSE)}"
    )


if __name__ == "__main__":
    main()
