"""Write the demo network's placemats (``placemats/<collective>.json``).

The JSON files are the deliverable and are committed; this script is how they were made
and how to remake them after an edit. Ids of theory-of-action steps and indicators are
derived from the collective and position, so they stay the same on every run (the
implementation log refers to them).

    python data_templates/demo/_build_placemats.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ilc_widgets.placemat import (
    EvidencePlanItem,
    Indicator,
    Placemat,
    TheoryStep,
    check_placemat,
    validate_placemat,
)

HERE = Path(__file__).resolve().parent


def fixed_id(collective: str, kind: str, n: int) -> str:
    """A 10-character hex id like :func:`ilc_widgets.placemat.new_id`, but reproducible."""
    return hashlib.sha1(f"demo/{collective}/{kind}/{n}".encode()).hexdigest()[:10]


def steps(collective: str, *items: tuple[str, str, str]) -> list[TheoryStep]:
    return [
        TheoryStep(if_text=i, then_text=t, level=level, id=fixed_id(collective, "step", n))
        for n, (level, i, t) in enumerate(items, 1)
    ]


def indicators(collective: str, *items: dict[str, object]) -> list[Indicator]:
    return [
        Indicator(**item, id=fixed_id(collective, "indicator", n))  # type: ignore[arg-type]
        for n, item in enumerate(items, 1)
    ]


def plan(**items: tuple[str, str, str]) -> dict[str, EvidencePlanItem]:
    out = {
        k: EvidencePlanItem()
        for k in ("demographic", "perceptions", "student_learning", "school_processes")
    }
    for key, (what, who, when) in items.items():
        out[key] = EvidencePlanItem(what=what, who=who, when=when)
    return out


# --------------------------------------------------------------------------- complete

ABSENTEEISM_1 = Placemat(
    problem_of_practice=(
        "Across the seven North Lakes schools we lead, 27% of students were chronically "
        "absent last year (missing 10% or more of enrolled days), and Monday absences run "
        "nearly double any other weekday. Our response, automated calls and letters after "
        "the fifth and tenth absence, comes too late and is rarely followed by a conversation "
        "with an adult the student trusts."
    ),
    surfacing_data=(
        "2025-26 SIS attendance by weekday, grade and IEP status; the early-warning list "
        "(58 of the same students flagged in October and in March); spring student survey "
        "item 'An adult at school notices when I am absent' (41% agree)."
    ),
    priorities=[
        "Reach every newly flagged student within five school days with a personal "
        "conversation, not a letter",
        "Make Monday mornings worth coming for: advisory and first-hour connection routines",
        "Rewrite attendance letters from compliance language to partnership language",
        "Close the gap for students with IEPs, whose chronic absence rate is twice the "
        "school average",
    ],
    theory_of_action=steps(
        "absenteeism-1",
        (
            "leader_actions",
            "we run a weekly 20-minute attendance huddle in each building that assigns every "
            "newly flagged student (3 or more absences in 30 days) to one adult mentor",
            "staff know who is slipping within days instead of weeks, and every flagged "
            "student has a named adult who owns the follow-up",
        ),
        (
            "adult_practice",
            "mentors make a personal contact within five school days and first-hour teachers "
            "open every Monday with a short connection routine",
            "students are noticed when they are gone and have a reason to be in first hour "
            "on Monday morning",
        ),
        (
            "student_outcomes",
            "students experience being welcomed back rather than warned",
            "daily attendance rises, Monday absences fall, and fewer students end the year "
            "chronically absent",
        ),
    ),
    indicators=indicators(
        "absenteeism-1",
        {
            "name": "Flagged students contacted within 5 days",
            "kind": "leading",
            "measure": "Share of newly flagged students with a logged mentor contact within "
            "five school days of being flagged",
            "evidence_type": "school_processes",
            "baseline": 22.0,
            "target": 90.0,
            "unit": "%",
            "target_date": "2026-12-18",
            "cadence": "weekly",
        },
        {
            "name": "Monday attendance rate",
            "kind": "leading",
            "measure": "Average daily attendance on Mondays across the seven schools",
            "evidence_type": "demographic",
            "baseline": 87.5,
            "target": 92.0,
            "unit": "%",
            "target_date": "2027-01-29",
            "cadence": "weekly",
        },
        {
            "name": "Chronic absenteeism rate",
            "kind": "lagging",
            "measure": "Share of enrolled students who have missed 10% or more of enrolled "
            "days, year to date",
            "evidence_type": "demographic",
            "baseline": 27.0,
            "target": 20.0,
            "unit": "%",
            "target_date": "2027-06-04",
            "cadence": "monthly",
        },
    ),
    evidence_plan=plan(
        demographic=(
            "Attendance by weekday, grade and IEP status from the SIS; chronic absence rate "
            "year to date",
            "Gary Lindqvist with the building attendance secretaries",
            "Pulled every Friday; monthly summary for the collective",
        ),
        perceptions=(
            "Student survey items 'An adult notices when I'm absent' and 'I look forward to "
            "Monday'; five-question phone survey of families of flagged students",
            "Hodan Abdi and Aaron Pelletier",
            "Late September and again in January",
        ),
        student_learning=(
            "First-hour grades of students on the flag list, to see whether better attendance "
            "shows up in learning",
            "Shauna Beaulieu and Jenna Korhonen",
            "At each progress report",
        ),
        school_processes=(
            "Mentor contact log, huddle notes, and a count of letters rewritten in "
            "partnership language",
            "Assistant principals and mentors",
            "Weekly, at the huddle",
        ),
    ),
)

TIER1_INSTRUCTION_1 = Placemat(
    problem_of_practice=(
        "In grades 6-8 core classes across our three districts, walkthroughs show teachers "
        "talking for most of the period and all students responding during a check for "
        "understanding in fewer than a third of visits. When 45-60% of a class misses a "
        "common unit assessment, we refer students to intervention instead of strengthening "
        "first instruction."
    ),
    surfacing_data=(
        "Spring 2026 walkthroughs (212 visits): teacher talk 68% of observed time, all-student "
        "response in 29% of visits. Grade 7 science common unit 1: 45% below proficient. "
        "Tier 2 referral counts by section."
    ),
    priorities=[
        "An all-student response in every check for understanding",
        "Students can say what they are learning and what success looks like",
        "Reteach in class within 48 hours of an exit ticket instead of referring to Tier 2",
    ],
    theory_of_action=steps(
        "tier1-instruction-1",
        (
            "leader_actions",
            "principals and coaches agree on three look-fors, calibrate walkthroughs together "
            "once a month, and give each teacher one piece of feedback within 48 hours",
            "teachers get frequent, consistent and specific feedback on the practices we said "
            "matter",
        ),
        (
            "adult_practice",
            "teachers plan every lesson with an all-student response check (whiteboards, cold "
            "call with wait time, hinge questions) and reteach from exit tickets",
            "teachers find out during the lesson who has it and who doesn't, and adjust before "
            "the unit test",
        ),
        (
            "student_outcomes",
            "every student is expected to answer and gets timely reteaching",
            "more students in grades 6-8 are proficient on common unit assessments and fewer "
            "are referred to Tier 2 for gaps in core content",
        ),
    ),
    indicators=indicators(
        "tier1-instruction-1",
        {
            "name": "Walkthroughs with all-student response",
            "kind": "leading",
            "measure": "Share of walkthroughs in which all students respond during a check "
            "for understanding",
            "evidence_type": "school_processes",
            "baseline": 29.0,
            "target": 70.0,
            "unit": "%",
            "target_date": "2027-01-22",
            "cadence": "biweekly",
        },
        {
            "name": "Exit tickets at mastery",
            "kind": "leading",
            "measure": "Share of students at mastery on common exit tickets, grade 7 science "
            "and grade 8 math",
            "evidence_type": "student_learning",
            "baseline": 52.0,
            "target": 70.0,
            "unit": "%",
            "target_date": "2027-01-22",
            "cadence": "monthly",
        },
        {
            "name": "Common unit assessment proficiency",
            "kind": "lagging",
            "measure": "Share of students proficient on end-of-unit common assessments, grades 6-8",
            "evidence_type": "student_learning",
            "baseline": 55.0,
            "target": 68.0,
            "unit": "%",
            "target_date": "2027-05-28",
            "cadence": "termly",
        },
    ),
    evidence_plan=plan(
        demographic=(
            "Enrollment of observed sections by grade and subgroup; Tier 2 referrals by "
            "section and subgroup",
            "Sharon Blackwood",
            "Quarterly",
        ),
        perceptions=(
            "Student exit survey item 'In this class I am expected to answer, not just "
            "listen'; teacher survey on how useful walkthrough feedback is",
            "Jamal Reed",
            "October and January",
        ),
        student_learning=(
            "Common exit tickets and unit assessments; pre/post on the grade 7 science "
            "ecosystems unit",
            "Teacher leaders and coaches",
            "Every unit",
        ),
        school_processes=(
            "Walkthrough form with the three look-fors; coaching feedback log",
            "Principals and instructional coaches",
            "Every two weeks",
        ),
    ),
)

LITERACY_1 = Placemat(
    problem_of_practice=(
        "Only 41-48% of our K-2 students reach benchmark on fall DIBELS 8, and walkthroughs "
        "show the daily foundational skills block is often replaced by leveled small groups "
        "where children are prompted to guess words from pictures and context. Students who "
        "leave second grade unable to decode are then placed in comprehension intervention."
    ),
    surfacing_data=(
        "Fall DIBELS 8 composite by grade and school; spring 2026 walkthroughs (foundational "
        "skills block taught as designed in 38% of K-1 visits); audit of grade 3 intervention "
        "rosters (70% of placements were for comprehension)."
    ),
    priorities=[
        "Protect and teach the daily 30-minute foundational skills block in K-2",
        "Replace three-cueing prompts with decoding prompts in small groups",
        "Use decodable texts that match the phonics scope and sequence",
        "Group students by the skill the phonics screener shows, not by reading level",
    ],
    theory_of_action=steps(
        "literacy-1",
        (
            "leader_actions",
            "principals and the literacy coordinator protect the foundational skills block in "
            "the master schedule and coaches run monthly look-for walkthroughs with feedback",
            "K-2 teachers teach explicit, systematic phonics every day and get support when it "
            "gets hard",
        ),
        (
            "adult_practice",
            "teachers follow the common scope and sequence and use decoding prompts ('look at "
            "the letters, say the sounds') with decodable texts in small groups",
            "students practice blending and segmenting every day with text that matches what "
            "they have been taught",
        ),
        (
            "student_outcomes",
            "students get daily explicit practice with decodable text",
            "more K-2 students reach benchmark on the phonics screener and DIBELS, and fewer "
            "third graders need reading intervention",
        ),
    ),
    indicators=indicators(
        "literacy-1",
        {
            "name": "Foundational skills block taught as designed",
            "kind": "leading",
            "measure": "Share of K-2 walkthroughs where the foundational skills block is "
            "taught with all four look-fors",
            "evidence_type": "school_processes",
            "baseline": 38.0,
            "target": 85.0,
            "unit": "%",
            "target_date": "2027-01-29",
            "cadence": "biweekly",
        },
        {
            "name": "Phonics screener skills mastered (grade 1)",
            "kind": "leading",
            "measure": "Average share of phonics screener skills mastered by grade 1 students",
            "evidence_type": "student_learning",
            "baseline": 34.0,
            "target": 60.0,
            "unit": "%",
            "target_date": "2027-01-29",
            "cadence": "monthly",
        },
        {
            "name": "DIBELS composite at benchmark",
            "kind": "lagging",
            "measure": "Share of K-2 students at or above benchmark on the DIBELS 8 composite "
            "(beginning, middle and end of year)",
            "evidence_type": "student_learning",
            "baseline": 44.0,
            "target": 60.0,
            "unit": "%",
            "target_date": "2027-05-21",
            "cadence": "termly",
        },
    ),
    evidence_plan=plan(
        demographic=(
            "Benchmark rates broken out by grade, school, multilingual learner and IEP status",
            "Elaine Fitzgerald",
            "After each benchmark window",
        ),
        perceptions=(
            "Five-item teacher confidence survey on teaching phonics and phonemic awareness",
            "Megan Sorensen",
            "September and February",
        ),
        student_learning=(
            "Monthly phonics screener; DIBELS 8 at beginning, middle and end of year; "
            "pre/post on the grade 1 phonics inventory",
            "Classroom teachers and interventionists",
            "Monthly and in each benchmark window",
        ),
        school_processes=(
            "Walkthrough look-for form; master schedule audit of protected minutes",
            "Principals and coaches",
            "Every two weeks",
        ),
    ),
)

GRADING_1 = Placemat(
    problem_of_practice=(
        "In our ninth-grade core courses, 24% of students had at least one D or F at the "
        "first semester mark last year. When we audited those grades, most of the lost points "
        "came from missing homework and late penalties rather than low assessment scores, so "
        "our grades do not tell students, families or us what students actually know."
    ),
    surfacing_data=(
        "2025-26 semester 1 D/F report by course and subgroup; gradebook audit of 120 failing "
        "grades from nine high schools (63% of lost points were missing or late work); student "
        "focus groups at Millbrook High and Hollins Ferry High."
    ),
    priorities=[
        "Report work habits separately from academic achievement",
        "Offer reassessment on summative evidence in every grade 9 core course",
        "Calibrate scoring of common assessments within each course team",
    ],
    theory_of_action=steps(
        "grading-1",
        (
            "leader_actions",
            "we lead each grade 9 course team through a gradebook audit and a common grading "
            "agreement (no zeros on a 100-point scale, work habits reported separately, "
            "reassessment on summatives)",
            "course teams adopt shared grading practices instead of each teacher's own policy",
        ),
        (
            "adult_practice",
            "teachers grade summative evidence against common criteria, give feedback rather "
            "than points on practice work, and offer reassessment",
            "grades reflect what students know and students get a second way to show learning",
        ),
        (
            "student_outcomes",
            "students see that learning, not compliance, moves their grade",
            "fewer ninth graders fail a core course and more use reassessment to reach proficiency",
        ),
    ),
    indicators=indicators(
        "grading-1",
        {
            "name": "Sections meeting the grading agreement",
            "kind": "leading",
            "measure": "Share of grade 9 core sections whose gradebook meets the common "
            "grading agreement in a spot audit",
            "evidence_type": "school_processes",
            "baseline": 15.0,
            "target": 80.0,
            "unit": "%",
            "target_date": "2027-01-15",
            "cadence": "monthly",
        },
        {
            "name": "Ninth graders with a D or F at progress report",
            "kind": "leading",
            "measure": "Share of grade 9 students with at least one D or F in a core course "
            "at the five-week progress report",
            "evidence_type": "student_learning",
            "baseline": 31.0,
            "target": 18.0,
            "unit": "%",
            "target_date": "2027-01-15",
            "cadence": "monthly",
        },
        {
            "name": "Semester D/F rate, grade 9 core",
            "kind": "lagging",
            "measure": "Share of grade 9 students with at least one semester D or F in "
            "English, math, science or social studies",
            "evidence_type": "student_learning",
            "baseline": 24.0,
            "target": 15.0,
            "unit": "%",
            "target_date": "2027-01-29",
            "cadence": "termly",
        },
    ),
    evidence_plan=plan(
        demographic=(
            "D/F rates by subgroup (IEP, multilingual learner, race/ethnicity, free and "
            "reduced-price meals)",
            "Martin Fairbanks",
            "At each progress report",
        ),
        perceptions=(
            "Student survey item 'My grade shows what I know'; teacher survey on the grading "
            "agreement",
            "Priscilla Huang and Olivia Brennan",
            "October and January",
        ),
        student_learning=(
            "Progress report and semester grades; common assessment results and reassessment "
            "outcomes",
            "Course team leads",
            "Every five weeks",
        ),
        school_processes=(
            "Gradebook spot audit against the agreement; reassessment log",
            "Assistant principals",
            "Monthly",
        ),
    ),
)

# --------------------------------------------------------------------------- partial

ABSENTEEISM_2 = Placemat(
    problem_of_practice=(
        "Chronic absence in our districts runs between 18% and 26%, highest in grades 9-12, "
        "and our tiered attendance supports exist on paper but are carried out differently "
        "in every school."
    ),
    surfacing_data="District chronic absence dashboards, 2025-26.",
    priorities=[
        "Check-in/check-out with a mentor for every Tier 2 attendance student",
        "A first-absence phone call from a person, the same day",
    ],
    theory_of_action=steps(
        "absenteeism-2",
        (
            "leader_actions",
            "each principal names an attendance lead who reviews the Tier 2 list every two weeks",
            "flagged students are matched to a check-in/check-out mentor within a week",
        ),
        (
            "adult_practice",
            "mentors check in daily and follow up on every absence",
            "mentors build a relationship and spot problems early",
        ),
    ),
    indicators=indicators(
        "absenteeism-2",
        {
            "name": "Tier 2 students with an active mentor",
            "kind": "leading",
            "measure": "Share of students on the Tier 2 attendance list with an active "
            "check-in/check-out mentor",
            "evidence_type": "school_processes",
            "baseline": 10.0,
            "target": 75.0,
            "unit": "%",
            "target_date": "2026-12-18",
            "cadence": "biweekly",
        },
    ),
    evidence_plan=plan(
        school_processes=(
            "CICO mentor roster and daily check-in sheets",
            "Attendance leads",
            "Every two weeks",
        ),
    ),
)

EQUITY_BELONGING_1 = Placemat(
    problem_of_practice=(
        "Black and Latino students in our schools are referred to the office for subjective "
        "behaviors such as defiance and disrespect at two to three times the rate of white "
        "students, and fewer than half of our students say there is an adult at school they "
        "could go to."
    ),
    surfacing_data="2025-26 office referrals by category and subgroup; spring climate survey.",
    priorities=[
        "Understand where, when and by whom subjective referrals are written",
        "Make sure every student is known well by at least one adult",
    ],
    theory_of_action=steps(
        "equity-belonging-1",
        (
            "leader_actions",
            "we map every student to the adults who know them well, using a relationship "
            "mapping protocol at a staff meeting in each building",
            "we will know which students are not connected to any adult and can assign them one",
        ),
    ),
    indicators=indicators(
        "equity-belonging-1",
        {
            "name": "Students known well by an adult",
            "kind": "leading",
            "measure": "Share of students whom at least one staff member marks as 'knows well' "
            "on the relationship map",
            "evidence_type": "school_processes",
            "baseline": 62.0,
            "target": None,
            "unit": "%",
            "target_date": None,
            "cadence": "monthly",
        },
    ),
    evidence_plan=plan(
        demographic=(
            "Office referrals by category, subgroup, location and time of day",
            "Carmen Delgado-Ruiz",
            "",
        ),
    ),
)

# --------------------------------------------------------------------------- nearly empty

MULTILINGUAL_1 = Placemat(
    problem_of_practice=(
        "Long-term English learners in grades 6-10 seem stuck around ACCESS level 3, and "
        "students' content grades drop after they exit EL services. (draft, to sharpen with "
        "our data)"
    ),
)

MATH_DISCOURSE_1 = Placemat(
    problem_of_practice="Students rarely explain their math thinking to each other.",
)

PLACEMATS: dict[str, Placemat] = {
    "absenteeism-1": ABSENTEEISM_1,
    "absenteeism-2": ABSENTEEISM_2,
    "equity-belonging-1": EQUITY_BELONGING_1,
    "tier1-instruction-1": TIER1_INSTRUCTION_1,
    "grading-1": GRADING_1,
    "literacy-1": LITERACY_1,
    "multilingual-1": MULTILINGUAL_1,
    "math-discourse-1": MATH_DISCOURSE_1,
}

COMPLETE = {"absenteeism-1", "tier1-instruction-1", "grading-1", "literacy-1"}


def main() -> None:
    folder = HERE / "placemats"
    folder.mkdir(exist_ok=True)
    for code, placemat in PLACEMATS.items():
        validate_placemat(placemat)
        failed = [c.key for c in check_placemat(placemat) if not c.ok]
        if (code in COMPLETE) == bool(failed):
            raise SystemExit(f"{code}: expected complete={code in COMPLETE}, failing {failed}")
        text = json.dumps(placemat.to_dict(), indent=2, ensure_ascii=False) + "\n"
        (folder / f"{code}.json").write_text(text, encoding="utf-8")
        print(f"{code}: {len(failed)} checks open {failed}")


if __name__ == "__main__":
    main()
