"""Common themes of school-improvement inquiry, used as soft anchors by theme suggestion.

The authors of the ILC article found that leaders' challenges are much alike across regions;
state plans, ASCD and Learning Forward list the same recurring areas. Each entry is a theme a
facilitator would recognise, with a plain-language description and a few example focus
statements in the way leaders phrase them. The catalog was written from general K-12
knowledge, not from any benchmark: it names the areas, it does not decide the clusters
(see :mod:`ilc_widgets.themes` for how it is used; statements that match no entry still form
their own themes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class CatalogTheme:
    """One common theme: a display name, a plain description and example phrasings."""

    name: str
    description: str
    examples: tuple[str, ...] = ()

    def texts(self) -> tuple[str, ...]:
        """The texts whose embeddings stand for this theme."""
        return (self.name, self.description, *self.examples)


CATALOG: Final[tuple[CatalogTheme, ...]] = (
    CatalogTheme(
        "Chronic absenteeism",
        "Students missing too many school days; improving daily attendance and reducing "
        "chronic absence.",
        (
            "Too many students miss 10% or more of the school year",
            "Getting kids to come to school every day",
            "Attendance dropped after the pandemic and has not recovered",
            "Tardies and skipped class periods",
        ),
    ),
    CatalogTheme(
        "Grading practices",
        "How teachers grade: equitable and standards-based grading, late work, zeros, "
        "retakes and what a grade should mean.",
        (
            "Grades that reflect learning rather than behavior or compliance",
            "No-zero policies, reassessment and late work",
            "Moving to standards-based report cards",
            "Consistent grading across teachers of the same course",
        ),
    ),
    CatalogTheme(
        "Early literacy",
        "Teaching young children to read: foundational skills, phonics, phonemic awareness "
        "and the science of reading in the primary grades.",
        (
            "Our kindergarten to second grade reading scores are low",
            "Phonics and decoding instruction in early grades",
            "Moving away from leveled books toward the science of reading",
            "Third graders who cannot read fluently",
        ),
    ),
    CatalogTheme(
        "Literacy across the content areas",
        "Reading comprehension, writing and vocabulary for older students in every subject, "
        "including struggling adolescent readers.",
        (
            "Students cannot read their science and social studies textbooks",
            "Writing across the curriculum in middle and high school",
            "Close reading of complex texts and academic vocabulary",
            "Argument writing with evidence in every class",
        ),
    ),
    CatalogTheme(
        "Mathematics instruction",
        "How math is taught and learned: problem solving, conceptual understanding, number "
        "sense, fluency and math achievement.",
        (
            "Students do not understand fractions and proportional reasoning",
            "Too much procedure and not enough reasoning in math class",
            "Algebra readiness in the middle grades",
            "Math scores lag behind reading",
        ),
    ),
    CatalogTheme(
        "MTSS and intervention",
        "A multi-tiered system of supports: screening students, targeted and intensive "
        "intervention, progress monitoring and data-based decisions about who needs help.",
        (
            "Our intervention block has no clear entry and exit criteria",
            "Tier 2 and Tier 3 supports for students who are behind",
            "Using screening data to place students in small groups",
            "Student support team referrals take too long",
        ),
    ),
    CatalogTheme(
        "Tier 1 core instruction",
        "Strong everyday teaching in the general classroom for all students: high-quality "
        "curriculum, grade-level tasks, rigor, clear lesson goals and checks for understanding.",
        (
            "Making sure every student gets grade-level work in the regular classroom",
            "Implementing our new curriculum with fidelity",
            "Lessons with clear learning targets and checks for understanding",
            "Raising the rigor of classroom tasks",
        ),
    ),
    CatalogTheme(
        "Student discourse and engagement",
        "Students doing the thinking and talking: engagement, collaboration, questioning, "
        "student voice and ownership of learning.",
        (
            "Teachers talk most of the period while students listen passively",
            "Structures for students to discuss ideas with each other",
            "Students are compliant but not engaged",
            "Giving students voice and choice in their learning",
        ),
    ),
    CatalogTheme(
        "Equity and belonging",
        "Fair opportunities and outcomes for every group of students, closing gaps, and a "
        "school where every student feels they belong and is seen.",
        (
            "Achievement gaps between student groups",
            "Students of color do not feel they belong at our school",
            "Culturally responsive teaching",
            "Access to advanced courses is not equitable",
        ),
    ),
    CatalogTheme(
        "Social-emotional learning and well-being",
        "Students' social-emotional skills, mental health and well-being: relationships with "
        "adults, self-regulation, anxiety and a sense of safety.",
        (
            "Student anxiety and mental health needs have grown",
            "Teaching self-regulation and relationship skills",
            "Every student has a trusted adult at school",
            "Counseling support for students in crisis",
        ),
    ),
    CatalogTheme(
        "Behavior and discipline",
        "Student behavior, classroom management, schoolwide expectations, suspensions and "
        "restorative alternatives to punishment.",
        (
            "Office referrals and suspensions are too high",
            "Consistent schoolwide behavior expectations",
            "Restorative conversations instead of sending students out",
            "Teachers struggle with classroom management",
        ),
    ),
    CatalogTheme(
        "Multilingual learners",
        "Students learning English: language development, access to content for English "
        "learners and newcomers, and valuing home languages.",
        (
            "Our English learners are not making progress toward proficiency",
            "Supporting newcomer students who just arrived in the country",
            "Language supports in content classes",
            "Families who speak languages other than English",
        ),
    ),
    CatalogTheme(
        "Special education and inclusion",
        "Students with disabilities: inclusion in general education, co-teaching, "
        "accommodations, IEP goals and specially designed instruction.",
        (
            "Students with IEPs spend most of the day outside the general classroom",
            "General and special education teachers planning together",
            "Closing the gap for students with disabilities",
            "Too many referrals to special education",
        ),
    ),
    CatalogTheme(
        "Teacher collaboration and PLCs",
        "Teachers working together in teams: professional learning communities, common "
        "planning, looking at student work and shared responsibility for learning.",
        (
            "Our team meetings are about logistics, not learning",
            "Grade-level teams analyzing student work together",
            "Protected time for teachers to plan together",
            "Making collaboration time productive",
        ),
    ),
    CatalogTheme(
        "Instructional coaching and feedback",
        "Helping teachers grow: coaching cycles, classroom observation, feedback on "
        "instruction and job-embedded professional learning.",
        (
            "Teachers get little useful feedback on their teaching",
            "Coaching cycles that change classroom practice",
            "Classroom walkthroughs with actionable feedback",
            "Professional development that sticks",
        ),
    ),
    CatalogTheme(
        "Instructional leadership",
        "How principals and leadership teams lead teaching and learning: a shared "
        "instructional vision, leadership teams, distributed leadership and school "
        "improvement planning.",
        (
            "Principals spend their days on operations instead of instruction",
            "Building an effective instructional leadership team",
            "Our school improvement plan is not used",
            "Leading change when staff resist",
        ),
    ),
    CatalogTheme(
        "Assessment and data use",
        "Using assessment and data to guide teaching: formative assessment, common "
        "assessments, data cycles and acting on results.",
        (
            "We collect lots of data but do not act on it",
            "Common formative assessments in every department",
            "Data meetings that lead to changes in instruction",
            "Using quick checks to adjust teaching during the lesson",
        ),
    ),
    CatalogTheme(
        "Family and community engagement",
        "Partnering with families and the community: two-way communication, trust, "
        "family involvement in learning and community partners.",
        (
            "Parents rarely come to school events",
            "Building trust with families who had bad school experiences",
            "Communicating with families in a way that is two-way",
            "Partnerships with community organizations",
        ),
    ),
    CatalogTheme(
        "Ninth-grade transition and on-track",
        "Helping students move into high school and stay on track to graduate: "
        "freshman course failures, credits and the middle-to-high-school transition.",
        (
            "Ninth graders failing core courses",
            "Freshmen falling behind on credits",
            "Smoothing the transition from eighth to ninth grade",
            "Early warning signs that a student will not graduate",
        ),
    ),
    CatalogTheme(
        "College and career readiness",
        "Preparing students for life after high school: college access, career pathways, "
        "work-based learning, and graduation.",
        (
            "Few of our graduates enroll in college",
            "Career pathways and internships for high school students",
            "Every student leaves with a postsecondary plan",
            "Financial aid applications and college applications",
        ),
    ),
    CatalogTheme(
        "New teacher support and retention",
        "Recruiting, supporting and keeping teachers: induction, mentoring for new "
        "teachers, teacher turnover and staff morale.",
        (
            "We lose half of our new teachers within three years",
            "Mentoring first-year teachers",
            "Teacher burnout and morale",
            "Hard-to-fill positions and vacancies",
        ),
    ),
    CatalogTheme(
        "Early childhood and kindergarten readiness",
        "Young children's learning before and at school entry: pre-K, kindergarten "
        "readiness and the transition into elementary school.",
        (
            "Children arrive in kindergarten without readiness skills",
            "Aligning pre-K and kindergarten",
            "Play-based learning in the early years",
        ),
    ),
    CatalogTheme(
        "Science instruction",
        "Teaching science through investigation and phenomena, science standards and "
        "hands-on inquiry.",
        (
            "Elementary students get very little science",
            "Teaching science through investigations and phenomena",
            "Lab experiences and scientific reasoning",
        ),
    ),
)
