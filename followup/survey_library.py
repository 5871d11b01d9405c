"""The one place that calls the survey library (samplics): weight adjustment, raking,
Taylor-linearisation variance. The rest of the app speaks numpy arrays and this module's
result, so moving to another library (svy, samplics' successor) changes this file only.

samplics is imported when first used: its package import loads statsmodels and polars,
which pages that never estimate should not pay for.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType

import numpy as np


@cache
def _samplics() -> ModuleType:
    # samplics 0.6.1 warns on import that it is archived in favour of svy; the warning is
    # about the library, not about this data, and would reach every page and command.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, module="samplics")
        warnings.filterwarnings("ignore", message="samplics is archived", category=FutureWarning)
        import samplics
    return samplics


@dataclass(frozen=True)
class TaylorResult:
    estimate: float | None
    variance: float | None
    std_error: float | None
    ci_lower: float | None
    ci_upper: float | None
    cv: float | None


def nonresponse_adjust(weights: np.ndarray, classes: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Respondents ("rr") carry the weight of the non-respondents ("nr") of their class."""
    library = _samplics()
    adjusted = library.SampleWeight().adjust(
        samp_weight=weights, adj_class=classes.astype(str), resp_status=status
    )
    return np.asarray(adjusted, dtype=float)


def rake(
    weights: np.ndarray,
    categories: Mapping[str, np.ndarray],
    controls: Mapping[str, Mapping[str, float]],
) -> np.ndarray:
    """Iterative proportional fitting of the weights to each dimension's totals."""
    library = _samplics()
    raked = library.SampleWeight().rake(
        samp_weight=weights,
        margins={name: values.astype(str) for name, values in categories.items()},
        control={name: dict(totals) for name, totals in controls.items()},
        tol=1e-10,
        ctrl_tol=1e-10,
        max_iter=500,
    )
    return np.asarray(raked, dtype=float)


def weighting_deff(weights: np.ndarray) -> float:
    """Kish's design effect of unequal weights, 1 + CV² of the weights."""
    return float(_samplics().SampleWeight().calculate_deff_weight(weights))


def taylor(
    y: np.ndarray,
    weights: np.ndarray,
    strata: np.ndarray,
    *,
    fpc: Mapping[str, float],
    proportion: bool,
    alpha: float = 0.05,
) -> TaylorResult:
    """Weighted mean (or share of 1s) with its stratified Taylor-linearisation variance.

    samplics' variance is sum over strata of fpc_h n_h/(n_h-1) sum_i (z_hi - zbar_h)² with
    z_hi = w_hi (y_hi - ybar) / sum(w); its interval uses t with n - H degrees of freedom,
    on the logit scale for a proportion. A stratum with one respondent adds no variance
    (samplics' "skip"); with no degrees of freedom left there is no interval.
    """
    library = _samplics()
    n = int(y.size)
    keys = strata.astype(str)
    order = sorted(set(keys.tolist()))
    degrees = n - len(order)
    if np.all(y == y[0]):
        # One value only: no variance to estimate (samplics would divide 0 by 0 for a
        # mean of zeros); the interval is the value itself.
        value = float(y[0])
        return TaylorResult(value, 0.0, 0.0, value, value, 0.0 if value else None)
    if degrees < 1:
        mean = float(np.sum(weights * y) / np.sum(weights))
        return TaylorResult(mean, None, None, None, None, None)
    param = library.PopParam.prop if proportion else library.PopParam.mean
    estimator = library.TaylorEstimator(param=param, alpha=alpha)
    estimator.estimate(
        y=y.astype(int) if proportion else y.astype(float),
        samp_weight=weights,
        stratum=keys,
        # Each respondent is their own sampling unit; saying so explicitly is what makes
        # samplics' "skip" of a one-respondent stratum work (without units it divides by 0).
        psu=np.arange(n),
        fpc={key: float(fpc[key]) for key in order},
        single_psu=library.SinglePSUEst.skip,
    )
    if proportion:
        return TaylorResult(
            estimate=float(estimator.point_est[1]),
            variance=float(estimator.variance[1]),
            std_error=float(estimator.stderror[1]),
            ci_lower=float(estimator.lower_ci[1]),
            ci_upper=float(estimator.upper_ci[1]),
            cv=float(estimator.coef_var[1]),
        )
    variance = float(estimator.variance)
    estimate = float(estimator.point_est)
    return TaylorResult(
        estimate=estimate,
        variance=variance,
        std_error=math.sqrt(variance),
        ci_lower=float(estimator.lower_ci),
        ci_upper=float(estimator.upper_ci),
        cv=math.sqrt(variance) / abs(estimate) if estimate else None,
    )
