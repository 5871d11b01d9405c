"""The suppression on small tables whose answer can be checked by hand, each attacked
by an independent linear program (scipy's `linprog`)."""

from __future__ import annotations

from registry.reports.disclosure.engine import (
    Cell,
    Sum,
    inferred_ranges,
    protection_width,
    unit,
    withhold_small,
)
from registry.reports.disclosure.exact_check import protect_exactly
from tests.reports.disclosure.attack import attack_cells


def cells(*values: int, k: int = 5) -> list[Cell]:
    return [Cell(value=v, k=k, label=f"c{n}") for n, v in enumerate(values)]


def test_the_protection_width_is_half_the_marks_range() -> None:
    assert protection_width(5) == 2  # "< 5" is 1 to 4
    assert protection_width(10) == 5  # "< 10" is 1 to 9


def test_a_lone_small_cell_under_a_published_total_takes_a_complement() -> None:
    rows = cells(2, 9, 20, 40)
    total = Cell(value=71, k=5, label="total")
    relations = [Sum(total, rows)]
    assert protect_exactly([*rows, total], relations) == 0
    assert rows[0].hidden
    # Subtracting the shown rows from the total would give 2 alone: one more row is withheld,
    # one that frees enough (9 - 5 >= 2) and is the smallest that does.
    assert [c.hidden for c in rows] == [True, True, False, False]
    assert not total.hidden
    assert attack_cells([*rows, total], relations) == []


def test_a_complement_of_exactly_k_frees_nothing() -> None:
    # A withheld 5 shows as "x", at least 5: with the total known the small cell stays exact.
    rows = cells(2, 5, 30)
    total = Cell(value=37, k=5, label="total")
    relations = [Sum(total, rows)]
    protect_exactly([*rows, total], relations)
    assert rows[2].hidden
    assert attack_cells([*rows, total], relations) == []


def test_zeros_stay_shown_and_free_nothing() -> None:
    rows = cells(0, 3, 12, 20)
    total = Cell(value=35, k=5, label="total")
    protect_exactly([*rows, total], [Sum(total, rows)])
    assert not rows[0].hidden
    assert rows[1].hidden
    assert rows[2].hidden


def test_nothing_is_withheld_when_nothing_is_small() -> None:
    rows = cells(7, 9, 20)
    total = Cell(value=36, k=5, label="total")
    assert protect_exactly([*rows, total], [Sum(total, rows)]) == 0
    assert not any(c.hidden for c in [*rows, total])


def test_a_row_is_withheld_whole() -> None:
    participations, persons = Cell(value=7, k=5), Cell(value=3, k=5)
    unit([participations, persons])
    withhold_small([participations, persons])
    assert participations.hidden
    assert persons.hidden
    # Its participations are not small: marked "x" (at least k), not "< 5".
    assert not participations.small


def test_marks_alone_set_the_bar_for_cells_nested_in_a_small_total() -> None:
    # Three cohorts of one course of four: each is at most 2 from the marks alone, and no
    # withholding could widen that, so none is asked for.
    cohorts = cells(2, 1, 1)
    course = Cell(value=4, k=5, label="course")
    others = cells(30, 25)
    total = Cell(value=59, k=5, label="total")
    relations = [Sum(course, cohorts), Sum(total, [course, *others])]
    everything = [*cohorts, course, *others, total]
    assert protect_exactly(everything, relations) == 0
    marks = inferred_ranges(everything, relations, marks_only=True)
    assert marks[cohorts[0]] == [1, 2]
    assert attack_cells(everything, relations) == []


def test_a_table_of_two_dimensions_is_protected_against_combined_sums() -> None:
    # Courses add up both to their component (rows) and to their provider (columns): a
    # small course is found by combining the two, which interval propagation alone misses.
    a, b, c, d = cells(1, 12, 14, 9)
    row1, row2 = Cell(value=13, k=5, label="row1"), Cell(value=23, k=5, label="row2")
    col1, col2 = Cell(value=15, k=5, label="col1"), Cell(value=21, k=5, label="col2")
    total = Cell(value=36, k=5, label="total")
    relations = [
        Sum(row1, [a, b]),
        Sum(row2, [c, d]),
        Sum(col1, [a, c]),
        Sum(col2, [b, d]),
        Sum(total, [row1, row2]),
        Sum(total, [col1, col2]),
    ]
    everything = [a, b, c, d, row1, row2, col1, col2, total]
    assert protect_exactly(everything, relations) == 0
    assert a.hidden
    # Whatever else is withheld, it closes a cycle around the small cell: the linear program
    # combining every sum leaves it its range.
    assert sum(cell.hidden for cell in everything) >= 4
    assert attack_cells(everything, relations) == []


def test_the_attack_finds_an_unprotected_table() -> None:
    # The attack is not vacuous: withholding the small cell alone leaves it exact.
    rows = cells(2, 9, 20)
    total = Cell(value=31, k=5, label="total")
    rows[0].hidden = True
    found = attack_cells([*rows, total], [Sum(total, rows)])
    assert [(f.label, f.low, f.high) for f in found] == [("c0", 2, 2)]


def test_a_sensitive_cell_keeps_the_wider_range_of_its_higher_threshold() -> None:
    rows = [Cell(value=3, k=10, label="survivors"), *cells(12, 30, 41)]
    total = Cell(value=86, k=5, label="total")
    relations = [Sum(total, rows)]
    assert protect_exactly([*rows, total], relations) == 0
    # 12 - 5 = 7 frees enough for a width of 5 ("< 10" is 1 to 9).
    assert [c.hidden for c in rows] == [True, True, False, False]
    assert attack_cells([*rows, total], relations) == []
