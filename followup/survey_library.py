"""The one place that calls the survey library (svy): weight adjustment, raking, Taylor-
linearisation variance and design effects. The rest of the app speaks numpy arrays and this
module's result, so moving to another library changes this file only.

svy is imported when first used: it loads polars and its compiled core, which pages that
never estimate should not pay for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np


@cache
def _svy() -> ModuleType:
    import svy

    return svy


def _frame(**columns: Any) -> Any:
    import polars

    return polars.DataFrame(columns)


@dataclass(frozen=True)
class TaylorResult:
    estimate: float | None
    variance: float | None
    std_error: float | None
    ci_lower: float | None
    ci_upper: float | None
    cv: float | None
    deff: float | None = None  # against a simple random sample without replacement


def nonresponse_adjust(weights: np.ndarray, classes: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Respondents ("rr") carry the weight of the non-respondents ("nr") of their class;
    the non-respondents' weight becomes 0. The result is in the order of the input."""
    library = _svy()
    sample = library.Sample(
        _frame(
            row=np.arange(weights.size),
            weight=weights.astype(float),
            cell=classes.astype(str),
            status=status.astype(str),
        ),
        library.Design(wgt="weight"),
    )
    # Keep the non-respondents (with weight 0) so that the result lines up with the input.
    adjusted = sample.weighting.adjust(
        "status", "cell", wgt_name="adjusted", respondents_only=False
    ).data.sort("row")
    return adjusted["adjusted"].to_numpy().astype(float)


def rake(
    weights: np.ndarray,
    categories: Mapping[str, np.ndarray],
    controls: Mapping[str, Mapping[str, float]],
) -> np.ndarray:
    """Iterative proportional fitting of the weights to each dimension's totals.

    svy refuses margins whose totals disagree (raking could not meet them all) and raises
    when it does not converge, rather than returning weights that fit no margin."""
    library = _svy()
    columns = {f"margin_{number}": name for number, name in enumerate(categories)}
    sample = library.Sample(
        _frame(
            row=np.arange(weights.size),
            weight=weights.astype(float),
            **{column: categories[name].astype(str) for column, name in columns.items()},
        ),
        library.Design(wgt="weight"),
    )
    raked = sample.weighting.rake(
        controls={column: dict(controls[name]) for column, name in columns.items()},
        wgt_name="raked",
        # Relative misfit of every margin: the tests check the totals to 1e-6.
        tol=1e-10,
        max_iter=500,
    ).data.sort("row")
    return raked["raked"].to_numpy().astype(float)


def weighting_deff(weights: np.ndarray) -> float:
    """Kish's design effect of unequal weights, n sum(w²) / (sum w)² = 1 + CV² of the weights."""
    library = _svy()
    sample = library.Sample(_frame(weight=weights.astype(float)), library.Design(wgt="weight"))
    return float(sample.deff_w)


def taylor(
    y: np.ndarray,
    weights: np.ndarray,
    strata: np.ndarray,
    *,
    population: Mapping[str, float],
    proportion: bool,
    alpha: float = 0.05,
) -> TaylorResult:
    """Weighted mean (or share of 1s) with its stratified Taylor-linearisation variance.

    `population` is each stratum's N_h; svy takes the finite population correction
    1 - n_h/N_h with n_h the rows of the stratum given here. Its variance is
    sum over strata of (1 - n_h/N_h) n_h/(n_h-1) sum_i (z_hi - zbar_h)² with
    z_hi = w_hi (y_hi - ybar) / sum(w); the interval uses t with n - H degrees of freedom,
    on the logit scale for a proportion (svy's default `ci_method`). A stratum with one
    respondent adds no variance (svy's "skip" singleton rule); with no degrees of freedom
    left there is no interval. The design effect is svy's against a simple random sample
    without replacement from a population of sum(w) ("wor"); when the weights add up to no
    more than the sample (a census) there is no such sample to compare with.
    """
    library = _svy()
    n = int(y.size)
    keys = strata.astype(str)
    degrees = n - len(set(keys.tolist()))
    if np.all(y == y[0]):
        # One value only: no variance to estimate (the linearised variance is 0 and the
        # logit interval undefined); the interval is the value itself.
        value = float(y[0])
        return TaylorResult(value, 0.0, 0.0, value, value, 0.0 if value else None)
    if degrees < 1:
        mean = float(np.sum(weights * y) / np.sum(weights))
        return TaylorResult(mean, None, None, None, None, None)
    sample = library.Sample(
        _frame(
            y=y.astype(int) if proportion else y.astype(float),
            weight=weights.astype(float),
            stratum=keys,
            population=np.array([float(population[key]) for key in keys]),
        ),
        library.Design(stratum="stratum", wgt="weight", pop_size="population", singleton="skip"),
    )
    deff = "wor" if float(np.sum(weights)) > n else None
    if proportion:
        result = sample.estimation.prop("y", ci_method="logit", deff=deff, alpha=alpha)
        row = next(p for p in result.estimates if p.y_level == 1)
    else:
        result = sample.estimation.mean("y", deff=deff, alpha=alpha)
        row = result.estimates[0]
    estimate = float(row.est)
    std_error = float(row.se)
    return TaylorResult(
        estimate=estimate,
        variance=std_error**2,
        std_error=std_error,
        ci_lower=float(row.lci),
        ci_upper=float(row.uci),
        cv=std_error / abs(estimate) if estimate else None,
        deff=float(row.deff) if row.deff is not None else None,
    )
