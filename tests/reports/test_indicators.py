"""The indicator report on the hand-computed registry of conftest.py.

T-1 counts course A: K1 (P1 F, P2 M, P6 F, all institution TIA in region A) and K2 (P1 F
TIA/A, P3 U TIB/B, P5 M TIA/A); P7 is cancelled and not counted. T-2 counts courses A and
B. T-K is measured by course A's tests: pairs P1/K1 50->80, P1/K2 60->60, P3/K2 100->100.
The real logframe (loaded by the migration) is there too, without participations.
"""

from __future__ import annotations

import datetime as dt

from courses.models import Indicator
from registry.reports.filters import ReportFilters
from registry.reports.indicators import SURVEY_STATUS, TOTAL_CODE, indicator_report

ALL = ReportFilters()


def _by_code(rows: list[dict]) -> dict[str, dict]:  # type: ignore[type-arg]
    return {row["code"]: row for row in rows}


def _breakdown(report: dict, name: str, code: str) -> dict:  # type: ignore[type-arg]
    return {
        row["label"]: (row["participations"], row["unique_persons"], row["double_counting_factor"])
        for row in report[f"outputs_by_{name}"]
        if row["code"] == code
    }


def test_output_indicator_participations_persons_and_factor(registry) -> None:  # type: ignore[no-untyped-def]
    report = indicator_report(filters=ALL)
    t1 = _by_code(report["outputs"])["T-1"]
    assert t1 == {
        "code": "T-1",
        "name": "Indicador uno",
        "text": "# of participants (T-1)",
        "component": "Sin componente",
        "group": "state_operators",
        "group_label": "Operadores del Estado",
        "courses": 1,
        "reported_participations": 12,
        "reported_period": "2024-07",
        # P1 twice, P2, P6 (K1, K2) and P3, P5: six participations of five persons.
        "participations": 6,
        "unique_persons": 5,
        "double_counting_factor": 1.2,
        "registry_pct_of_reported": 50.0,
        # 12 reported participations at 1.2 per person.
        "estimated_persons_in_reported": 10,
    }
    t2 = _by_code(report["outputs"])["T-2"]
    assert (t2["participations"], t2["unique_persons"], t2["double_counting_factor"]) == (
        10,
        6,
        1.67,
    )
    assert (t2["registry_pct_of_reported"], t2["estimated_persons_in_reported"]) == (33.3, 18)


def test_output_indicator_by_sex_institution_and_region(registry) -> None:  # type: ignore[no-untyped-def]
    report = indicator_report(filters=ALL)
    assert _breakdown(report, "sex", "T-1") == {
        "Mujer": (3, 2, 1.5),  # P1 twice, P6
        "Hombre": (2, 2, 1.0),  # P2, P5
        "No registrado": (1, 1, 1.0),  # P3
    }
    assert _breakdown(report, "institution", "T-1") == {"TIA": (5, 4, 1.25), "TIB": (1, 1, 1.0)}
    assert _breakdown(report, "region", "T-1") == {
        "Región de prueba A": (5, 4, 1.25),
        "Región de prueba B": (1, 1, 1.0),
    }
    # T-2 adds course B: P2's "Fiscalia X" is unmapped, P4's region only written.
    assert _breakdown(report, "institution", "T-2") == {
        "TIA": (6, 4, 1.5),
        "TIB": (3, 3, 1.0),
        "No registrado o sin mapear": (1, 1, 1.0),
    }
    assert _breakdown(report, "region", "T-2") == {
        "Región de prueba A": (5, 4, 1.25),
        "Región de prueba B": (4, 4, 1.0),
        "No registrado o sin mapear": (1, 1, 1.0),
    }
    # Rows come in indicator order, the largest value first within one.
    codes = [row["code"] for row in report["outputs_by_sex"]]
    assert codes == sorted(codes, key=["T-1", "T-2"].index)


def test_total_counts_each_person_once(registry) -> None:  # type: ignore[no-untyped-def]
    total = indicator_report(filters=ALL)["outputs_total"]
    assert total["code"] == TOTAL_CODE
    # The 21 course indicators of the logframe (15,468 reported) and the two of the test.
    assert total["indicators"] == 23
    assert total["reported_participations"] == 15_468 + 12 + 30
    # Summed over indicators as the reported figures are (6 + 10); six persons in all.
    assert (total["participations"], total["unique_persons"]) == (16, 6)
    assert total["double_counting_factor"] == 2.67
    assert total["estimated_persons_in_reported"] == round(15_510 * 6 / 16)


def test_knowledge_indicator_from_paired_tests(registry) -> None:  # type: ignore[no-untyped-def]
    tk = _by_code(indicator_report(filters=ALL)["knowledge"])["T-K"]
    mean_pre, mean_post = (50 + 60 + 100) / 3, (80 + 60 + 100) / 3
    assert tk["registry_value"] == round((mean_post / mean_pre - 1) * 100, 1) == 14.3
    assert (tk["mean_pre_pct"], tk["mean_post_pct"]) == (70.0, 80.0)
    # Course A's six enrollments (P7 not counted): three pairs, of P1 (twice) and P3.
    assert (tk["enrollments"], tk["with_both"], tk["paired_coverage_pct"]) == (6, 3, 50.0)
    assert (tk["persons"], tk["persons_paired"], tk["courses"]) == (5, 2, 1)
    assert tk["registry_pct_of_target"] == 57.2  # 14.3 of a 25 % target
    published = {k: tk[k] for k in ("baseline", "target", "measurement_1", "measurement_2")}
    assert published == {"baseline": 0, "target": 25, "measurement_1": 24.8, "measurement_2": 30}
    assert (tk["measurement_3"], tk["reference_period"]) == (None, "Junio 2024")


def test_every_logframe_indicator_is_listed(registry) -> None:  # type: ignore[no-untyped-def]
    report = indicator_report(filters=ALL)
    outputs = _by_code(report["outputs"])
    assert len(outputs) == 24 + 2
    workshop = outputs["1.3.1.4"]
    assert workshop["reported_participations"] == 4337
    # No course counts toward a workshop indicator: no registry figure, rather than zero.
    assert (workshop["participations"], workshop["unique_persons"]) == (None, None)
    police = outputs["1.2.1.1"]
    assert (police["participations"], police["unique_persons"], police["courses"]) == (0, 0, 3)
    assert police["component"] == "Persecución"
    knowledge = _by_code(report["knowledge"])
    assert len(knowledge) == 8 + 1
    assert knowledge["1.2.1.2"]["measurement_3"] == 30
    assert knowledge["1.2.1.2"]["registry_value"] is None  # no tests in the registry yet
    survey = _by_code(report["survey"])
    assert set(survey) == {"1.3.1.1", "3.2.1.3"}
    assert survey["1.3.1.1"]["latest_measurement"] == 100
    assert survey["3.2.1.3"]["status"] == SURVEY_STATUS


def test_filters_narrow_the_registry_figures_not_the_reported_ones(registry) -> None:  # type: ignore[no-untyped-def]
    only_b = indicator_report(filters=ReportFilters(course=registry.course_b.pk))
    t1 = _by_code(only_b["outputs"])["T-1"]
    assert (t1["participations"], t1["unique_persons"], t1["double_counting_factor"]) == (
        0,
        0,
        None,
    )
    assert (t1["reported_participations"], t1["registry_pct_of_reported"]) == (12, 0.0)
    # The reported figure is the whole project's: no estimate for a part of the registry.
    assert _by_code(only_b["outputs"])["T-2"]["estimated_persons_in_reported"] is None
    assert only_b["outputs_total"]["estimated_persons_in_reported"] is None
    assert _by_code(only_b["knowledge"])["T-K"]["enrollments"] == 0
    # A stored slice (one region) and a combination computed from the facts.
    in_a = _by_code(indicator_report(filters=ReportFilters(region=registry.ra.pk))["outputs"])
    assert (in_a["T-1"]["participations"], in_a["T-1"]["unique_persons"]) == (5, 4)
    recent = ReportFilters(region=registry.ra.pk, date_from=dt.date(2024, 1, 1))
    t1_recent = _by_code(indicator_report(filters=recent)["outputs"])["T-1"]
    assert (t1_recent["participations"], t1_recent["unique_persons"]) == (2, 2)  # P1, P5 in K2


def test_indicators_without_a_course_still_listed(
    registry, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):  # what the edit's commit does
        registry.course_a.indicators.remove(registry.t1)
        registry.course_a.knowledge_indicator = None
        registry.course_a.save()
    report = indicator_report(filters=ALL)
    t1 = _by_code(report["outputs"])["T-1"]
    assert (t1["courses"], t1["participations"]) == (0, 0)
    tk = _by_code(report["knowledge"])["T-K"]
    assert (tk["courses"], tk["with_both"], tk["registry_value"]) == (0, 0, None)
    assert Indicator.objects.filter(code="T-1").exists()
