"""Which unread columns hold a test's scores, and which of them is the pre- and the post-test.

Tools name a test's column after the test, not after the registry's fields:
- Moodle: "Cuestionario:Evaluación de entrada (Real)", "Quiz: Exit test (Percentage)" (the
  module's name, the item's name and the display type; `grade_export::format_column_name`),
  and the course total, "Total del curso (Real)" / "Course total (Real)";
- forms: the quiz's total, "Puntuación" / "Score" (Google Forms), "Total de puntos" /
  "Total points" (Microsoft Forms); a KoboToolbox calculation named by its author
  ("puntaje_entrada"); a list's one "Nota" or "Puntaje" column.
A column is a candidate only if most of its filled cells read as scores.

Which test is which, decided in this order:
1. by name: a candidate whose name says entrada, inicio, inicial, diagnóstica, pre... is the
   pre-test; salida, final, cierre, post... the post-test. Moodle quizzes come before form
   totals, form totals before other named columns, those before other graded activities
   whose name says test ("Tarea:Evaluación final"); two equally good candidates for one test
   are both left unread, and the user is told;
2. by elimination: one test known (by name, or by a column such as "Pre-test"), and exactly
   one quiz or form total left that names no test: it is the other test;
3. by order: no test known and exactly two such quizzes or totals: the first is the pre-test
   (Moodle lists grade items in the gradebook's order, which is the course's);
4. by the file's name: one such quiz or total alone ("Puntuación" in the responses of a form
   called "Prueba de salida ... .csv"): the file's name decides; if it says nothing, the
   column is left unread and the user is asked to map it;
5. the course total, only if the file has no test column at all: it is the course's final
   grade, so the post-test (the pre-test if the file's name says entrada). With quizzes, the
   course total is an average of activities, not a test, and stays unread.
Where a Moodle item is exported in several displays, its percentage is read (its scale is
certain) before its real value; the letter is never a score.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from courses.roster_fields import POST_SCORE, PRE_SCORE, TEST_NAMES
from participants.names import fold

QUIZ = "quiz"  # a Moodle quiz
FORM_TOTAL = "form_total"  # a form's total score
NAMED = "named"  # a column named after a test ("Puntaje de entrada")
GRADED = "graded"  # another Moodle activity whose name says test ("Tarea:Evaluación final")
COURSE_TOTAL = "course_total"
RANK = {QUIZ: 0, FORM_TOTAL: 1, NAMED: 2, GRADED: 3}

SAME_GRADE = "same_grade"
LETTER_GRADE = "letter_grade"

_TEST_WORDS = frozenset(
    """TEST TESTS PRETEST POSTEST POSTTEST NOTA NOTAS PUNTAJE PUNTAJES PUNTOS PUNTUACION
    CALIFICACION CALIFICACIONES EVALUACION EVALUACIONES EXAMEN PRUEBA CUESTIONARIO QUIZ SCORE
    GRADE POINTS EXAM ASSESSMENT EVALUATION""".split()
)
_PHASE_WORDS = {
    PRE_SCORE: frozenset(
        """ENTRADA INICIO INICIAL DIAGNOSTICA DIAGNOSTICO PRE PRETEST PREVIA PREVIO ENTRY
        INITIAL BASELINE BEFORE ANTES""".split()
    ),
    POST_SCORE: frozenset("SALIDA FINAL POST POSTEST POSTTEST CIERRE EXIT AFTER DESPUES".split()),
}
# A form's total score, or a list's one score column, which says no test by itself.
_FORM_TOTALS = frozenset(
    """PUNTUACION SCORE NOTA PUNTAJE CALIFICACION GRADE""".split()
) | frozenset({"TOTAL DE PUNTOS", "TOTAL POINTS", "PUNTAJE TOTAL", "NOTA TOTAL"})
_COURSE_TOTALS = frozenset({"TOTAL DEL CURSO", "COURSE TOTAL"})
_QUIZ_MODULES = frozenset({"CUESTIONARIO", "QUIZ"})
_MOODLE_MODULES = (
    _QUIZ_MODULES
    | frozenset(
        """TAREA ASSIGNMENT FORO FORUM LECCION LESSON TALLER WORKSHOP SCORM H5P GLOSARIO GLOSSARY
    WIKI ENCUESTA SURVEY CONSULTA CHOICE""".split()
    )
    | frozenset({"BASE DE DATOS", "DATABASE", "HERRAMIENTA EXTERNA", "EXTERNAL TOOL"})
)
# "<module>:<item> (<display>)", the module optional (a manual item, a category or course total).
_MOODLE_COLUMN = re.compile(
    r"^(?P<item>.+?)\s*\((?P<display>real|porcentaje|percentage|letra|letter)\)\s*$",
    re.IGNORECASE,
)
_PERCENTAGE = frozenset({"PORCENTAJE", "PERCENTAGE"})
LETTER = frozenset({"LETRA", "LETTER"})


@dataclass(frozen=True)
class Candidate:
    position: int
    header: str
    kind: str
    phase: str  # PRE_SCORE, POST_SCORE, or "" when the name says neither
    grade_item: str = ""  # Moodle's "<module>:<item>", to find its other displays
    display: str = ""  # Moodle's display type, folded ("REAL", "PORCENTAJE"...)


@dataclass
class Decision:
    chosen: dict[str, int] = field(default_factory=dict)  # test -> column position
    set_aside: dict[int, str] = field(default_factory=dict)  # position -> SAME_GRADE...
    notes: list[str] = field(default_factory=list)


def words(text: str) -> set[str]:
    return set(fold(text).replace("-", " ").split())


def looks_like_test(header: str) -> bool:
    """A header that reads as a test's scores: a warning is due if no score is read."""
    return bool(
        words(header) & _TEST_WORDS
        or _MOODLE_COLUMN.match(header)
        or fold(header) in _FORM_TOTALS | _COURSE_TOTALS
    )


def phase_named(text: str) -> str:
    """The test a name points to (PRE_SCORE, POST_SCORE), or "" for none or both."""
    found = [test for test, names in _PHASE_WORDS.items() if words(text) & names]
    if "LINEA DE BASE" in fold(text) or "LINEA BASE" in fold(text):
        found.append(PRE_SCORE)
    return found[0] if len(set(found)) == 1 else ""


def candidate(position: int, header: str) -> Candidate | None:
    """What kind of test column a header names, or None for a column that is not one."""
    folded = fold(header)
    moodle = _MOODLE_COLUMN.match(header)
    if moodle:
        item, display = moodle["item"], fold(moodle["display"])
        module, _colon, name = item.partition(":")
        if not name or fold(module) not in _MOODLE_MODULES:
            module, name = "", item
        # The item as Moodle names it (digits and all): "Unidad 1" and "Unidad 2" are two.
        item_key = " ".join(item.split()).casefold()
        if fold(name) in _COURSE_TOTALS:
            return Candidate(position, header, COURSE_TOTAL, "", item_key, display)
        if fold(module) in _QUIZ_MODULES:
            kind = QUIZ
        elif words(name) & _TEST_WORDS and phase_named(name):
            kind = GRADED if module else NAMED
        else:
            return None
        return Candidate(position, header, kind, phase_named(name), item_key, display)
    if folded in _FORM_TOTALS:
        return Candidate(position, header, FORM_TOTAL, "")
    if words(header) & _TEST_WORDS and phase_named(header):
        return Candidate(position, header, NAMED, phase_named(header))
    return None


def tests_decide(
    candidates: list[Candidate],
    *,
    known: set[str],
    file_name: str,
    label: Callable[[int], str],
) -> Decision:
    """Each test still to find (not in `known`) -> the column that holds it; see the module."""
    decision = Decision()
    candidates = _one_display_per_item(candidates, decision)
    tests = [c for c in candidates if c.kind != COURSE_TOTAL]
    totals = [c for c in candidates if c.kind == COURSE_TOTAL]

    def choose(test: str, chosen: Candidate, note: str) -> None:
        decision.chosen[test] = chosen.position
        decision.notes.append(note)

    for test in (PRE_SCORE, POST_SCORE):
        if test in known:
            continue
        named = [c for c in tests if c.phase == test]
        if not named:
            continue
        best = min(RANK[c.kind] for c in named)
        top = [c for c in named if RANK[c.kind] == best]
        if len(top) > 1:
            columns = ", ".join(label(c.position) for c in top)
            decision.notes.append(
                _("%(columns)s could each be the %(test)s: none is read; map the right one.")
                % {"columns": columns, "test": TEST_NAMES[test]}
            )
            known = known | {test}  # asked of the user, not guessed from the others
            continue
        choose(
            test,
            top[0],
            _("%(column)s is read as the %(test)s: its name says so.")
            % {"column": label(top[0].position), "test": TEST_NAMES[test]},
        )
    missing = [test for test in (PRE_SCORE, POST_SCORE) if test not in known | set(decision.chosen)]
    taken = set(decision.chosen.values())
    plain = [c for c in tests if not c.phase and c.kind in (QUIZ, FORM_TOTAL)]
    plain = [c for c in plain if c.position not in taken]
    if len(missing) == 1 and len(plain) == 1:
        test = missing[0]
        choose(
            test,
            plain[0],
            _("%(column)s is read as the %(test)s: the other test is already read.")
            % {"column": label(plain[0].position), "test": TEST_NAMES[test]},
        )
    elif len(missing) == 2 and len(plain) == 2:
        first, second = plain
        decision.chosen[PRE_SCORE], decision.chosen[POST_SCORE] = first.position, second.position
        decision.notes.append(
            _(
                "%(first)s and %(second)s name no test: they are read as the pre-test and the "
                "post-test, in the order of the file."
            )
            % {"first": label(first.position), "second": label(second.position)}
        )
    elif len(missing) == 2 and len(plain) == 1:
        test = phase_named(Path(file_name).stem)
        if test:
            choose(
                test,
                plain[0],
                _("%(column)s is read as the %(test)s: the file's name says so.")
                % {"column": label(plain[0].position), "test": TEST_NAMES[test]},
            )
        else:
            decision.notes.append(
                _(
                    "%(column)s holds scores but neither it nor the file's name says whether "
                    "they are the pre-test or the post-test: it is not read; map it."
                )
                % {"column": label(plain[0].position)}
            )
    if totals and not tests and len(missing) == 2:
        total = totals[0]
        test = PRE_SCORE if phase_named(Path(file_name).stem) == PRE_SCORE else POST_SCORE
        choose(
            test,
            total,
            _("%(column)s, the course total, is read as the %(test)s: the file has no quiz.")
            % {"column": label(total.position), "test": TEST_NAMES[test]},
        )
    elif totals and tests:
        decision.notes.append(
            _("%(column)s, the course total, is not read as a test: the file has quizzes.")
            % {"column": label(totals[0].position)}
        )
    return decision


def _one_display_per_item(candidates: list[Candidate], decision: Decision) -> list[Candidate]:
    """One column per Moodle grade item: its percentage, else its real value; never a letter."""
    kept: list[Candidate] = []
    by_item: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.grade_item:
            by_item.setdefault(c.grade_item, []).append(c)
        else:
            kept.append(c)
    for columns in by_item.values():
        numeric = [c for c in columns if c.display not in LETTER]
        for c in columns:
            if c.display in LETTER:
                decision.set_aside[c.position] = LETTER_GRADE
        if not numeric:
            continue
        best = next((c for c in numeric if c.display in _PERCENTAGE), numeric[0])
        kept.append(best)
        for c in numeric:
            if c is not best:
                decision.set_aside[c.position] = SAME_GRADE
    return sorted(kept, key=lambda c: c.position)
