"""Each comparison rule on hand-made Hispanic name cases."""

from __future__ import annotations

import numpy as np

from participants.linkage import LinkageConfig, prepare
from participants.linkage.agreement_levels import (
    DNI_DIFFERENT,
    DNI_EQUAL,
    DNI_ONE_DIGIT,
    DNI_TRANSPOSED,
    DNI_ZERO,
)
from participants.linkage.blocking import dedupe_candidates
from participants.linkage.comparing import Comparison, compare
from participants.linkage.synthetic import synthetic_registry
from tests.linkage.helpers import background_model, frame

CONFIG = LinkageConfig()


def assert_same_comparison(one: Comparison, other: Comparison) -> None:
    for name in ("levels", "tf_freq"):
        mine, theirs = getattr(one, name), getattr(other, name)
        assert list(mine) == list(theirs)
        for feature, values in mine.items():
            np.testing.assert_array_equal(values, theirs[feature], err_msg=feature)
    for name in ("swapped", "dni_kind", "dni_conflict"):
        np.testing.assert_array_equal(getattr(one, name), getattr(other, name), err_msg=name)


def compare_one(left: dict[str, str], right: dict[str, str]) -> Comparison:
    """The pair compared across two frames (on the texts) and within one frame holding both
    records (on the texts' codes): both ways must give the same comparison."""
    a = prepare(frame(left), CONFIG)
    b = prepare(frame(right), CONFIG)
    across = compare(a, b, np.array([0]), np.array([0]), CONFIG)
    both = prepare(frame(left, right), CONFIG)
    within = compare(both, both, np.array([0]), np.array([1]), CONFIG)
    # Frequencies are counted within each frame, so only the levels and flags must agree.
    within.tf_freq = across.tf_freq
    assert_same_comparison(within, across)
    return across


def level(left: dict[str, str], right: dict[str, str], feature: str) -> int:
    return int(compare_one(left, right).levels[feature][0])


def test_dropped_second_given_name_still_agrees():
    assert level({"given_names": "MARIA ELENA"}, {"given_names": "MARIA"}, "given") == 4
    assert level({"given_names": "JUAN CARLOS"}, {"given_names": "JUAN CARLOS"}, "given") == 5


def test_second_given_name_used_alone_is_a_dropped_name():
    # One who signs with the second given name has dropped the first: as strong as dropping
    # the second ("ROSA MARIA" / "ROSA").
    assert level({"given_names": "ROSA MARIA"}, {"given_names": "MARIA"}, "given") == 4
    assert level({"given_names": "MARIA"}, {"given_names": "ROSA MARIA"}, "given") == 4
    assert level({"given_names": "ROSA MARIA"}, {"given_names": "ROSA"}, "given") == 4


def test_a_second_given_name_used_first_with_another_shares_a_name():
    assert level({"given_names": "ROSA MARIA"}, {"given_names": "MARIA JOSE"}, "given") == 2


def test_different_given_names_disagree():
    assert level({"given_names": "PEDRO"}, {"given_names": "WILBER"}, "given") == 1


def test_swapped_surnames_agree():
    left = {"paternal_surname": "QUISPE", "maternal_surname": "MAMANI"}
    right = {"paternal_surname": "MAMANI", "maternal_surname": "QUISPE"}
    result = compare_one(left, right)
    assert result.levels["paternal"][0] == 3
    assert result.levels["maternal"][0] == 4
    assert bool(result.swapped[0])


def test_maternal_initial_agrees_and_missing_is_neutral():
    base = {"paternal_surname": "HUAMAN", "maternal_surname": "CCAHUANA"}
    assert level(base, {"paternal_surname": "HUAMAN", "maternal_surname": "C."}, "maternal") == 2
    assert level(base, {"paternal_surname": "HUAMAN", "maternal_surname": "R"}, "maternal") == 1
    assert level(base, {"paternal_surname": "HUAMAN"}, "maternal") == 0


def test_accents_and_case_do_not_matter():
    left = {"given_names": "José Ángel", "paternal_surname": "Huamán", "maternal_surname": "Núñez"}
    right = {"given_names": "JOSE ANGEL", "paternal_surname": "HUAMAN", "maternal_surname": "NUNEZ"}
    result = compare_one(left, right)
    assert result.levels["given"][0] == 5
    assert result.levels["paternal"][0] == 3
    assert result.levels["maternal"][0] == 4


def test_surname_typo_and_spelling_variant_are_similar():
    assert level({"paternal_surname": "VASQUEZ"}, {"paternal_surname": "BASQUEZ"}, "paternal") == 2
    assert level({"paternal_surname": "CONDORI"}, {"paternal_surname": "CONDORY"}, "paternal") == 2


def dni_kind(a: str, b: str) -> int:
    return int(compare_one({"dni": a}, {"dni": b}).dni_kind[0])


def test_dni_variants_are_flagged():
    assert dni_kind("41234567", "41234567") == DNI_EQUAL
    assert dni_kind("41234567", "41234568") == DNI_ONE_DIGIT
    assert dni_kind("41234567", "41235467") == DNI_TRANSPOSED
    assert dni_kind("04567123", "4567123") == DNI_ZERO
    assert dni_kind("41234567", "70011122") == DNI_DIFFERENT
    assert level({"dni": "41234567"}, {"dni": ""}, "dni") == 0
    # Unusable values (too short) are treated as missing, not as a disagreement.
    assert level({"dni": "41234567"}, {"dni": "12345"}, "dni") == 0


def test_dni_conflict_policy():
    left, right = {"dni": "41234567"}, {"dni": "41234568"}
    strict = compare_one(left, right)
    assert bool(strict.dni_conflict[0])
    a, b = prepare(frame(left)), prepare(frame(right))
    lenient = compare(a, b, np.array([0]), np.array([0]), LinkageConfig(dni_conflict="beyond_typo"))
    assert not bool(lenient.dni_conflict[0])
    # A lost leading zero is the same DNI, never a conflict.
    assert not bool(compare_one({"dni": "04567123"}, {"dni": "4567123"}).dni_conflict[0])


def test_sex_disagrees_only_when_both_recorded():
    assert level({"sex": "F"}, {"sex": "M"}, "sex") == 1
    assert level({"sex": "F"}, {"sex": ""}, "sex") == 0
    assert level({"sex": "F"}, {"sex": "X"}, "sex") == 0


def test_birth_date_levels():
    assert level({"birth_date": "1980-05-03"}, {"birth_date": "1980-05-03"}, "birth_date") == 3
    assert level({"birth_date": "1980-05-03"}, {"birth_date": "1980-03-05"}, "birth_date") == 2
    assert level({"birth_date": "1980-05-03"}, {"birth_date": "1972-11-21"}, "birth_date") == 1
    assert level({"birth_date": "1980-05-03"}, {"birth_date": ""}, "birth_date") == 0


def test_phone_and_email():
    assert level({"phone": "51987654321"}, {"phone": "987654321"}, "phone") == 2
    assert level({"email": "ana.q@gmail.com"}, {"email": "ANA.Q@gmail.com "}, "email") == 3
    assert level({"email": "ana.q@gmail.com"}, {"email": "ana.q@mpfn.gob.pe"}, "email") == 2


def test_institution_and_region_are_weak_evidence_only_and_role_is_ignored():
    result = compare_one({"institution": "PODER JUDICIAL"}, {"institution": "MINISTERIO PUBLICO"})
    assert result.levels["weak:institution"][0] == 1
    assert result.levels["weak:region"][0] == 0
    assert not any("role" in name for name in result.levels)
    weights = background_model().weights()
    for name in ("weak:institution", "weak:region"):
        assert weights[name].max() <= 2.0
        assert weights[name].min() >= -0.5


def test_numeric_dni_column_from_a_spreadsheet():
    records = frame({"dni": "x"}, {"dni": "x"})
    records["dni"] = [4567123.0, float("nan")]
    prepared = prepare(records)
    assert prepared["dni_norm"].tolist() == ["04567123", ""]
    assert prepared["dni_padded"].tolist() == [True, False]


def test_a_particle_inside_given_names_is_not_the_second_name():
    # "María del Carmen" who signs "Carmen": the second name is CARMEN, not DEL.
    assert level({"given_names": "MARIA DEL CARMEN"}, {"given_names": "CARMEN"}, "given") == 4
    assert level({"given_names": "MARIA DE LOS ANGELES"}, {"given_names": "ANGELES"}, "given") == 4


def test_a_frame_compared_with_itself_on_codes_gives_what_its_texts_give():
    # A messy synthetic registry: typos, swapped surnames, initials, dropped names, DNI
    # typos, missing values - every rule reached on thousands of candidate pairs.
    prepared = prepare(synthetic_registry(3000, seed=5).drop(columns="person_id"), CONFIG)
    cands = dedupe_candidates(prepared, CONFIG)
    assert len(cands) > 3000
    on_codes = compare(prepared, prepared, cands.left, cands.right, CONFIG)
    # A copy is another frame: its texts are compared, not the codes.
    on_texts = compare(prepared, prepared.copy(), cands.left, cands.right, CONFIG)
    assert_same_comparison(on_codes, on_texts)
    assert (on_codes.levels["given"] == 3).any()
    assert (on_codes.levels["maternal"] == 2).any()
    assert on_codes.swapped.any()
    assert (on_codes.dni_kind == DNI_ONE_DIGIT).any()
