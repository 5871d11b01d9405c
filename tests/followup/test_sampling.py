"""The allocation rules and the size from a margin of error, against hand computations."""

from __future__ import annotations

import math

import pytest

from followup.sampling import (
    SamplingError,
    allocate,
    proportion_sd,
    sample_size_for_margin,
    stratum_orders,
    z_value,
)


def test_proportional_allocation_follows_the_stratum_sizes() -> None:
    # 100 over 600/300/100 eligible: 60 %, 30 % and 10 % of the size.
    assert allocate({"a": 600, "b": 300, "c": 100}, 100, "proportional") == {
        "a": 60,
        "b": 30,
        "c": 10,
    }


def test_largest_remainder_rounding_adds_up_to_the_size() -> None:
    # Shares 33.33 each: one of them (the first key) takes the last unit.
    result = allocate({"a": 100, "b": 100, "c": 100}, 100, "proportional")
    assert result == {"a": 34, "b": 33, "c": 33}
    assert sum(result.values()) == 100


def test_neyman_allocation_weights_size_by_standard_deviation() -> None:
    # N_h * S_h: 400 * 0.5 = 200, 400 * 0.1 = 40 and 200 * 0.3 = 60; of 300 total weight,
    # 60 are allocated 40, 8 and 12.
    result = allocate(
        {"a": 400, "b": 400, "c": 200}, 60, "neyman", sds={"a": 0.5, "b": 0.1, "c": 0.3}
    )
    assert result == {"a": 40, "b": 8, "c": 12}


def test_neyman_without_stated_deviations_uses_the_proportion_default() -> None:
    # Every stratum takes sqrt(0.5 * 0.5) = 0.5: the same as proportional.
    assert proportion_sd() == 0.5
    assert allocate({"a": 300, "b": 100}, 40, "neyman") == {"a": 30, "b": 10}
    # A stated deviation for one stratum only: a has 300 * 0.5 = 150, b 100 * 0.1 = 10.
    assert allocate({"a": 300, "b": 100}, 32, "neyman", sds={"b": 0.1}) == {"a": 30, "b": 2}


def test_equal_allocation() -> None:
    assert allocate({"a": 500, "b": 50, "c": 20}, 30, "equal") == {"a": 10, "b": 10, "c": 10}


def test_minimum_per_stratum_is_given_first_and_the_rest_redistributed() -> None:
    # Proportional shares of 50 over 950/50: 47.5 and 2.5; the minimum 5 fixes b at 5 and
    # a takes the other 45.
    assert allocate({"a": 950, "b": 50}, 50, "proportional", minimum=5) == {"a": 45, "b": 5}
    # A stratum smaller than the minimum gives all it has.
    assert allocate({"a": 950, "b": 3}, 50, "proportional", minimum=5) == {"a": 47, "b": 3}


def test_minimums_win_over_a_smaller_size() -> None:
    assert allocate({"a": 10, "b": 10, "c": 10}, 4, "equal", minimum=2) == {
        "a": 2,
        "b": 2,
        "c": 2,
    }


def test_cap_by_the_eligible_count_and_redistribute_the_surplus() -> None:
    # Equal shares of 30 would be 10 each; c has only 4, so a and b share the other 26.
    assert allocate({"a": 100, "b": 100, "c": 4}, 30, "equal") == {"a": 13, "b": 13, "c": 4}
    # More asked than there are: everyone.
    assert allocate({"a": 3, "b": 2}, 10, "proportional") == {"a": 3, "b": 2}


def test_unknown_allocation_is_refused_in_spanish() -> None:
    with pytest.raises(SamplingError, match="no es una asignación"):
        allocate({"a": 10, "b": 10}, 5, "cuotas")


def test_size_from_margin_of_error_with_the_finite_population_correction() -> None:
    # By hand: z = 1.959964, n0 = 1.959964² * 0.25 / 0.05² = 384.146; with N = 1000,
    # n = 384.146 / (1 + 383.146 / 1000) = 277.74, rounded up to 278.
    z = 1.959963984540054
    n0 = z * z * 0.25 / 0.0025
    assert round(n0, 3) == 384.146
    assert sample_size_for_margin(margin=0.05, population=1000) == 278
    assert math.ceil(n0 / (1 + (n0 - 1) / 1000)) == 278
    # A small frame needs nearly all of it; a huge one tends to n0.
    assert sample_size_for_margin(margin=0.05, population=50) == 45
    assert sample_size_for_margin(margin=0.05, population=10_000_000) == 385
    # 90 % confidence, margin 0.1, p = 0.3: z = 1.644854, n0 = 56.82; N = 200: 44.36 -> 45.
    assert round(z_value(0.90), 6) == 1.644854
    assert sample_size_for_margin(margin=0.1, population=200, confidence=0.90, p=0.3) == 45


def test_margin_outside_zero_one_is_refused() -> None:
    with pytest.raises(SamplingError, match="margen de error"):
        sample_size_for_margin(margin=5, population=100)


def test_orders_are_reproducible_and_depend_on_the_seed() -> None:
    frame = {"a": list(range(1, 41)), "b": list(range(100, 130))}
    shuffled = {"a": list(reversed(frame["a"])), "b": frame["b"][::2] + frame["b"][1::2]}
    first = stratum_orders(frame, 7)
    assert stratum_orders(shuffled, 7) == first  # the rows' order does not matter
    assert stratum_orders(frame, 8) != first
    assert sorted(first["a"]) == frame["a"]
