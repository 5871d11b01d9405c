from __future__ import annotations

from registry.reports.filters import ReportFilters
from registry.reports.pre_post import pre_post_by, pre_post_overall

ALL = ReportFilters()


def test_overall_on_paired_tests_only(registry) -> None:  # type: ignore[no-untyped-def]
    # Pairs: P1K1 50->80, P1K2 60->60, P3K2 100->100, P5K3 70->95. Only-pre: P2K1.
    # Only-post: P6K1, P2K3. The cancelled P7's 0->20 must not count.
    assert pre_post_overall(filters=ALL) == {
        "enrollments": 10,
        "with_pre": 5,
        "with_post": 6,
        "with_both": 4,
        "paired_coverage_pct": 40.0,
        "mean_pre_pct": 70.0,
        "mean_post_pct": 83.8,  # 83.75
        "knowledge_increase_pct": 19.6,  # 83.75 / 70 - 1
        "mean_gain_points": 13.8,  # (30 + 0 + 0 + 25) / 4
        "improved": 2,
        "improved_pct": 50.0,
        "normalised_gain": 0.478,  # (30/50 + 0/40 + 25/30) / 3; the perfect pre-test is left out
        "normalised_gain_pairs": 3,
    }


def test_per_course(registry) -> None:  # type: ignore[no-untyped-def]
    rows = {r["label"]: r for r in pre_post_by(filters=ALL, group="course")}
    a, b = rows["Curso A"], rows["Curso B"]
    assert (a["enrollments"], a["with_pre"], a["with_post"], a["with_both"]) == (6, 4, 4, 3)
    assert (a["paired_coverage_pct"], a["mean_pre_pct"], a["mean_post_pct"]) == (50.0, 70.0, 80.0)
    assert (a["knowledge_increase_pct"], a["mean_gain_points"], a["improved_pct"]) == (
        14.3,
        10.0,
        33.3,
    )
    assert (a["normalised_gain"], a["normalised_gain_pairs"]) == (0.3, 2)
    assert (b["enrollments"], b["with_pre"], b["with_post"], b["with_both"]) == (4, 1, 2, 1)
    assert (b["paired_coverage_pct"], b["mean_pre_pct"], b["mean_post_pct"]) == (25.0, 70.0, 95.0)
    assert (b["knowledge_increase_pct"], b["mean_gain_points"], b["improved_pct"]) == (
        35.7,
        25.0,
        100.0,
    )
    assert b["normalised_gain"] == 0.833


def test_per_cohort_and_knowledge_indicator(registry) -> None:  # type: ignore[no-untyped-def]
    cohorts = {r["label"]: r for r in pre_post_by(filters=ALL, group="cohort")}
    k1 = cohorts["Curso A - A-2023"]
    assert (k1["enrollments"], k1["with_pre"], k1["with_post"], k1["with_both"]) == (3, 2, 2, 1)
    assert (k1["paired_coverage_pct"], k1["knowledge_increase_pct"]) == (33.3, 60.0)
    k2 = cohorts["Curso A - A-2024"]
    assert (k2["with_both"], k2["mean_pre_pct"], k2["mean_post_pct"], k2["improved"]) == (
        2,
        80.0,
        80.0,
        0,
    )
    indicators = pre_post_by(filters=ALL, group="knowledge")
    # Course A's tests measure T-K; course B's measure no indicator (last).
    assert [r["label"] for r in indicators] == ["T-K", "Sin indicador"]
    tk, none = indicators
    assert (tk["with_both"], tk["mean_pre_pct"], tk["mean_post_pct"]) == (3, 70.0, 80.0)
    assert (none["with_both"], none["mean_post_pct"]) == (1, 95.0)


def test_no_pairs_gives_empty_means_not_errors(registry) -> None:  # type: ignore[no-untyped-def]
    row = pre_post_overall(
        filters=ReportFilters(region=registry.ra.pk, course=registry.course_b.pk)
    )
    assert row["enrollments"] == 0
    assert row["paired_coverage_pct"] is None
    assert row["knowledge_increase_pct"] is None
