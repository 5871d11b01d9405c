"""The stratified random sample of a wave: how many per stratum, and who.

Plain functions of counts, ids and a seed (no database), so that each rule can be checked
against a hand computation:

- `sample_size_for_margin`: the size that estimates a proportion within a margin of error at
  a confidence level, with the finite population correction;
- `allocate`: the size split over the strata, proportionally, by Neyman's rule or equally,
  each stratum given at least a minimum and never more than it holds;
- `stratum_orders`: every stratum's persons in a random order fixed by the wave's seed. The
  first ones make the sample, the rest are the stratum's reserve for replacements, in order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist

import numpy as np

from followup.models import Allocation

# With nothing known in advance of a proportion, p = 0.5 gives the largest variance p(1-p),
# so the sizes and Neyman weights it gives are the safe ones.
DEFAULT_PROPORTION = 0.5


class SamplingError(ValueError):
    """A design that cannot be drawn; the message says why, in Spanish."""


def proportion_sd(p: float = DEFAULT_PROPORTION) -> float:
    """The standard deviation of a yes/no indicator whose proportion is p: sqrt(p(1-p))."""
    if not 0 <= p <= 1:
        raise SamplingError(f"La proporción anticipada ({p}) debe estar entre 0 y 1.")
    return math.sqrt(p * (1 - p))


def z_value(confidence: float) -> float:
    """The two-sided normal quantile of a confidence level (1.96 for 0.95)."""
    if not 0 < confidence < 1:
        raise SamplingError(f"El nivel de confianza ({confidence}) debe estar entre 0 y 1.")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def sample_size_for_margin(
    *, margin: float, population: int, confidence: float = 0.95, p: float = DEFAULT_PROPORTION
) -> int:
    """n0 = z² p(1-p) / e², then n = n0 / (1 + (n0 - 1) / N), rounded up, at most N.

    N is the number of persons the sample can be drawn from (the eligible ones): the
    estimate speaks for them, and the correction is what a small frame saves.
    """
    if not 0 < margin < 1:
        raise SamplingError(
            f"El margen de error ({margin}) debe ser una proporción entre 0 y 1 (p. ej. 0.05)."
        )
    if population <= 0:
        return 0
    z = z_value(confidence)
    n0 = z * z * p * (1 - p) / (margin * margin)
    n = n0 / (1 + (n0 - 1) / population)
    # A rounding error must not push an exact integer up by one (e.g. 384.00000000000006).
    return min(population, math.ceil(round(n, 9)))


def allocate(
    eligible: Mapping[str, int],
    total: int,
    method: str,
    *,
    minimum: int = 0,
    sds: Mapping[str, float] | None = None,
    p: float = DEFAULT_PROPORTION,
) -> dict[str, int]:
    """How many to draw from each stratum (keyed as `eligible`).

    The weights are the stratum's size (proportional), its size times its standard
    deviation (Neyman; a stratum without a stated deviation takes sqrt(p(1-p)), which with
    p = 0.5 makes Neyman proportional) or one (equal). Each stratum gets at least `minimum`
    (or all it holds, if fewer) and at most what it holds; a stratum at either bound is set
    aside and the rest of the size is split again over the others, until none passes a
    bound. The minimum wins over the size: when the minimums add up to more than `total`,
    the sample grows to honour them. Shares are rounded by largest remainder (ties in key
    order), so they add up to the size exactly.
    """
    if total < 0 or minimum < 0:
        raise SamplingError("El tamaño y el mínimo por estrato no pueden ser negativos.")
    capacity = {key: max(0, count) for key, count in eligible.items()}
    available = sum(capacity.values())
    if total >= available:
        return dict(capacity)  # everyone who can be reached: a census of the frame
    weights = _weights(capacity, method, sds or {}, p)
    floors = {key: min(minimum, count) for key, count in capacity.items()}
    fixed: dict[str, int] = {}
    free = [key for key in sorted(capacity) if capacity[key] > 0]
    for key in capacity:
        if capacity[key] == 0:
            fixed[key] = 0
    while True:
        remaining = total - sum(fixed.values())
        shares = _shares(free, weights, remaining)
        over = [key for key in free if shares[key] > capacity[key]]
        if over:
            for key in over:
                fixed[key] = capacity[key]
            free = [key for key in free if key not in over]
            continue
        under = [key for key in free if shares[key] < floors[key]]
        if under:
            for key in under:
                fixed[key] = floors[key]
            free = [key for key in free if key not in under]
            continue
        break
    allocation = {**fixed, **_rounded(shares, free, total - sum(fixed.values()))}
    return {key: allocation[key] for key in eligible}


def _weights(
    capacity: Mapping[str, int], method: str, sds: Mapping[str, float], p: float
) -> dict[str, float]:
    if method == Allocation.PROPORTIONAL:
        return {key: float(count) for key, count in capacity.items()}
    if method == Allocation.NEYMAN:
        default = proportion_sd(p)
        weights = {}
        for key, count in capacity.items():
            sd = float(sds.get(key, default))
            if sd < 0:
                raise SamplingError(f"La desviación estándar del estrato {key} es negativa.")
            weights[key] = count * sd
        return weights
    if method == Allocation.EQUAL:
        return {key: 1.0 for key in capacity}
    raise SamplingError(f"'{method}' no es una asignación; use proporcional, Neyman o igual.")


def _shares(free: list[str], weights: Mapping[str, float], remaining: int) -> dict[str, float]:
    weight = sum(weights[key] for key in free)
    if weight <= 0:
        # Every stratum left has a zero weight (Neyman with no variation): split evenly
        # rather than leave the rest of the sample undrawn.
        return {key: remaining / len(free) for key in free} if free else {}
    return {key: remaining * weights[key] / weight for key in free}


def _rounded(shares: Mapping[str, float], free: list[str], size: int) -> dict[str, int]:
    """Largest-remainder rounding of the shares to integers adding up to `size`."""
    whole = {key: math.floor(shares[key] + 1e-9) for key in free}
    left = size - sum(whole.values())
    by_remainder = sorted(free, key=lambda key: (-(shares[key] - whole[key]), key))
    for key in by_remainder[: max(0, left)]:
        whole[key] += 1
    return whole


def stratum_orders(frame: Mapping[str, list[int]], seed: int) -> dict[str, list[int]]:
    """Each stratum's person ids in a random order that only the ids and the seed decide.

    The ids are sorted within each stratum and the strata taken in key order before the
    generator is used, so the same data and the same seed give the same order whatever
    order the database returned the rows in.
    """
    generator = np.random.default_rng(seed)
    orders: dict[str, list[int]] = {}
    for key in sorted(frame):
        ids = sorted(frame[key])
        orders[key] = [ids[index] for index in generator.permutation(len(ids))]
    return orders
