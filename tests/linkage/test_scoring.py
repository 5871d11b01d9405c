"""Scores and decisions of hand-made pairs against a synthetic background registry."""

from __future__ import annotations

import pandas as pd

from participants.linkage import DEFAULT_CONFIG, LinkageConfig, link
from tests.linkage.helpers import background_model, frame, registry_with

PERSON = {
    "given_names": "JUAN CARLOS",
    "paternal_surname": "QUISPE",
    "maternal_surname": "MAMANI",
    "dni": "41234567",
    "sex": "M",
    "birth_date": "1980-05-03",
}


def link_one(
    new: dict[str, str], known: dict[str, str], config: LinkageConfig | None = None
) -> pd.DataFrame:
    registry = registry_with(known, first_id=1)
    options = {"config": config} if config is not None else {}
    out = link(frame(new, first_id=900), registry, model=background_model(), **options)
    return out[out["registry_id"] == 1]


def test_same_dni_and_name_links_with_reasons():
    out = link_one({**PERSON, "given_names": "JUAN", "maternal_surname": "M."}, PERSON)
    assert out["decision"].tolist() == ["link"]
    reasons = out["reasons"].iloc[0]
    assert "DNI igual" in reasons
    assert "inicial del apellido materno coincide" in reasons
    assert "falta el segundo nombre" in reasons


def test_different_valid_dnis_never_link_even_with_identical_names():
    out = link_one({**PERSON, "dni": "70011122"}, PERSON)
    assert "link" not in out["decision"].tolist()


def test_dni_one_digit_off_with_other_given_names_goes_to_review_not_auto_link():
    out = link_one({**PERSON, "dni": "41234568", "given_names": "JUAN JOSE"}, PERSON)
    assert out["decision"].tolist() == ["review"]
    assert "DNI con un dígito distinto" in out["reasons"].iloc[0]
    assert "sin vínculo automático" in out["reasons"].iloc[0]


def test_dni_one_digit_off_the_names_explain_links():
    out = link_one({**PERSON, "dni": "41234568"}, PERSON)
    assert out["decision"].tolist() == ["link"]
    assert "error de tipeo que los nombres explican" in out["reasons"].iloc[0]
    assert "sin vínculo automático" not in out["reasons"].iloc[0]


def test_without_the_typo_rule_the_reasons_do_not_claim_it():
    config = LinkageConfig(dni_typo_links=False)
    out = link_one({**PERSON, "dni": "41234568"}, PERSON, config)
    assert out["decision"].tolist() == ["review"]
    assert "DNI válidos distintos: sin vínculo automático" in out["reasons"].iloc[0]
    assert "error de tipeo que los nombres explican" not in out["reasons"].iloc[0]


def test_dni_one_digit_off_with_another_birth_date_goes_to_review():
    out = link_one({**PERSON, "dni": "41234568", "birth_date": "1991-12-24"}, PERSON)
    assert out["decision"].tolist() == ["review"]


def test_lost_leading_zero_links():
    known = {**PERSON, "dni": "04567123"}
    out = link_one({**PERSON, "dni": "4567123"}, known)
    assert out["decision"].tolist() == ["link"]
    assert "cero inicial perdido" in out["reasons"].iloc[0]


def test_common_surname_namesakes_with_different_birth_dates_are_not_auto_linked():
    known = {**PERSON, "dni": ""}
    out = link_one({**PERSON, "dni": "", "birth_date": "1991-12-24"}, known)
    assert "link" not in out["decision"].tolist()


def test_rare_surname_agreement_weighs_more_than_common():
    base = {"given_names": "ROSA", "sex": "F"}
    common = {**base, "paternal_surname": "QUISPE", "maternal_surname": "FLORES"}
    rare = {**base, "paternal_surname": "CHUQUIMAMANI", "maternal_surname": "FLORES"}
    common_score = link_one(common, common)["score"]
    rare_score = link_one(rare, rare)["score"]
    assert rare_score.iloc[0] > common_score.iloc[0] + 3


def test_swapped_surnames_and_dropped_names_still_link_with_dni():
    new = {
        **PERSON,
        "given_names": "Juan",
        "paternal_surname": "Mamani",
        "maternal_surname": "Quispe",
    }
    out = link_one(new, PERSON)
    assert out["decision"].tolist() == ["link"]
    assert "apellidos invertidos" in out["reasons"].iloc[0]


def test_cannot_link_and_must_link_in_link():
    registry = registry_with(PERSON, {**PERSON, "dni": "", "given_names": "PEDRO"}, first_id=1)
    new = frame(PERSON, first_id=900)
    out = link(
        new, registry, model=background_model(), cannot_link=[(900, 1)], must_link=[(900, 2)]
    )
    assert 1 not in out["registry_id"].tolist()
    forced = out[out["registry_id"] == 2]
    assert forced["decision"].tolist() == ["link"]
    assert forced["reasons"].iloc[0].startswith("vínculo obligado")


def test_output_columns_and_thresholds():
    registry = registry_with(PERSON, first_id=1)
    out = link(frame(PERSON, first_id=900), registry, model=background_model())
    assert list(out.columns) == ["new_id", "registry_id", "score", "decision", "reasons"]
    assert (out["score"] >= DEFAULT_CONFIG.lower_threshold).all()
    assert set(out["decision"]) <= {"link", "review"}


def test_link_without_a_fitted_model_still_finds_the_person():
    registry = registry_with(PERSON, first_id=1)
    out = link(frame(PERSON, first_id=900), registry)
    assert out.loc[out["registry_id"] == 1, "decision"].tolist() == ["link"]


def test_must_link_with_different_valid_dnis_is_refused_and_reported():
    registry = registry_with(PERSON, first_id=1)
    new = frame({**PERSON, "dni": "70011122"}, first_id=900)
    out = link(new, registry, model=background_model(), must_link=[(900, 1)])
    row = out[out["registry_id"] == 1]
    assert row["decision"].tolist() == ["review"]
    assert row["reasons"].iloc[0].startswith("vínculo obligado rechazado")
