"""Which scale (0-20 or 0-100) a roster's pre- and post-test scores are written on.

Peru's schools grade 0-20; some partners report percentages. A roster rarely says which, so
the scale is read from the scores, from the bulk of them rather than the largest: one typo
(a 21 in a 0-20 column) must not rescale the whole column, it is the one score flagged. A
scale fits a column when at most one score in ten (at least one, never half) lies above it.

When a column fits both scales (every score of a 0-20 roster is also a valid percentage),
the pair of scales is chosen by what it would mean: a pair that turns most paired rows into
a knowledge loss (post-test below pre-test, in percent) is passed over for one that does
not; if every pair does, the preview says so, so that the user decides.

A scale is "indicada" only when the user or the command line stated it, or the file itself
does: a score written with its maximum ("14 / 20", as Google Forms writes a quiz's score;
"75,00 %", Moodle's percentage). Such a column takes the maximum its cells state when that
is 20 or 100 (0-100 when they state another one, or several), and each score stated on
another maximum is converted to it ("7 / 10" becomes 70 on 0-100), so that no score is
read on a scale it was not written on. Otherwise the scale is "inferida", even if the user
confirmed a preview that showed it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intake.roster_import.staging import StagedRow
from intake.roster_import.values import ALLOWED_SCALES, SCALE_PERCENT

# At most this share of a column's scores may lie above a scale that fits it.
OUTLIER_SHARE = Decimal("0.1")
# Fewer scores than this are thin evidence: one score above 20 among them is taken for the
# typing slip it usually is on Peru's 0-20 scale, rather than the sign of a 0-100 column,
# and the preview says that 0-20 was assumed.
THIN_EVIDENCE = 10
SCALE_PERU = Decimal(20)

# Ends the warning of scales that turn most progress into losses; an import's result, where
# nothing is left to confirm, says it in its own words (`ImportReport.scale_lines`).
BEFORE_CONFIRMING = "revise las escalas antes de confirmar"


@dataclass
class ScaleDecision:
    pre: Decimal | None
    post: Decimal | None
    pre_inferred: bool
    post_inferred: bool
    warnings: list[str] = field(default_factory=list)
    # Spreadsheet row numbers of the scores above their test's scale, per test.
    pre_outliers: list[int] = field(default_factory=list)
    post_outliers: list[int] = field(default_factory=list)
    # The file's cells stated the scale ("14 / 20"), and what was converted to it.
    pre_from_file: bool = False
    post_from_file: bool = False
    notes: list[str] = field(default_factory=list)


def fitting_scales(scores: list[Decimal]) -> list[Decimal]:
    """The scales the bulk of `scores` fits, smallest first (0-100 if none does)."""
    allowed = max(1, int(len(scores) * OUTLIER_SHARE))
    thin = 2 <= len(scores) < THIN_EVIDENCE
    fitting = [
        scale
        for scale in ALLOWED_SCALES
        if (above := sum(1 for score in scores if score > scale)) <= allowed
        and (above * 2 < len(scores) or (thin and scale == SCALE_PERU and above == 1))
    ]
    return fitting or [SCALE_PERCENT]


def loss_count(
    pairs: list[tuple[Decimal, Decimal]], pre_scale: Decimal, post_scale: Decimal
) -> tuple[int, int]:
    """(pairs whose post-test is below their pre-test, pairs within both scales)."""
    within = [(pre, post) for pre, post in pairs if pre <= pre_scale and post <= post_scale]
    losses = sum(1 for pre, post in within if post / post_scale < pre / pre_scale)
    return losses, len(within)


def scales_decide(
    *,
    pre_scores: list[Decimal],
    post_scores: list[Decimal],
    pairs: list[tuple[Decimal, Decimal]],
    pre_given: Decimal | None,
    post_given: Decimal | None,
) -> ScaleDecision:
    """The scale of each test: the given one, or the one its scores and the pairs point to."""
    for given in (pre_given, post_given):
        if given is not None and given not in ALLOWED_SCALES:
            raise ValueError(f"La escala debe ser 20 o 100, no {given}.")
    pre_options = _options(pre_scores, pre_given)
    post_options = _options(post_scores, post_given)
    combinations = list(itertools.product(pre_options, post_options))
    chosen = combinations[0]
    first_pre, first_post = chosen  # named, so that the checks below narrow them
    warnings = []
    if pairs and first_pre is not None and first_post is not None:
        balanced = [
            (pre, post)
            for pre, post in combinations
            if pre is not None and post is not None and not _mostly_losses(pairs, pre, post)
        ]
        if balanced:
            chosen = balanced[0]
        else:
            losses, total = loss_count(pairs, first_pre, first_post)
            warnings.append(
                f"con la escala 0-{first_pre:g} del pre-test y 0-{first_post:g} del post-test, "
                f"{losses} de {total} participantes con ambas notas tendrían menos nota en el "
                f"post-test que en el pre-test: {BEFORE_CONFIRMING}"
            )
    thin_notes = []
    for test, scores, given, scale in (
        ("pre-test", pre_scores, pre_given, chosen[0]),
        ("post-test", post_scores, post_given, chosen[1]),
    ):
        if given is None and scale == SCALE_PERU and len(scores) < THIN_EVIDENCE:
            thin_notes.append(
                f"Solo {len(scores)} notas del {test}: se asume la escala 0-20, la de los "
                "cursos peruanos; indique la escala si es otra"
            )
    return ScaleDecision(
        pre=chosen[0],
        post=chosen[1],
        pre_inferred=pre_given is None and chosen[0] is not None,
        post_inferred=post_given is None and chosen[1] is not None,
        warnings=warnings,
        notes=thin_notes,
    )


def scales_apply(
    *,
    staged: list[StagedRow],
    columns: dict[str, str],
    pre_given: Decimal | None,
    post_given: Decimal | None,
) -> ScaleDecision:
    """Each test's scale (given, or inferred from the bulk of its scores); a score beyond its
    test's scale is flagged on its row and not kept."""
    notes: list[str] = []
    pre_file = _scale_in_file(staged, "pre_score", pre_given, notes)
    post_file = _scale_in_file(staged, "post_score", post_given, notes)
    rows = [row for row in staged if not row.rejected]
    decision = scales_decide(
        pre_scores=[row.pre_score for row in rows if row.pre_score is not None],
        post_scores=[row.post_score for row in rows if row.post_score is not None],
        pairs=[
            (row.pre_score, row.post_score)
            for row in rows
            if row.pre_score is not None and row.post_score is not None
        ],
        pre_given=pre_given if pre_given is not None else pre_file,
        post_given=post_given if post_given is not None else post_file,
    )
    decision.pre_from_file = pre_given is None and pre_file is not None
    decision.post_from_file = post_given is None and post_file is not None
    decision.notes = notes + decision.notes
    for name, scale, inferred, outliers in (
        ("pre_score", decision.pre, decision.pre_inferred, decision.pre_outliers),
        ("post_score", decision.post, decision.post_inferred, decision.post_outliers),
    ):
        how = "inferida de las notas" if inferred else "indicada"
        for row in staged:
            score = getattr(row, name)
            if score is not None and scale is not None and score > scale:
                row.flag(
                    columns[name],
                    f"nota {score.normalize():f} mayor que la escala 0-{scale:g} ({how}); "
                    "no se guarda",
                )
                setattr(row, name, None)
                outliers.append(row.row_number)
    return decision


def _scale_in_file(
    staged: list[StagedRow], name: str, given: Decimal | None, notes: list[str]
) -> Decimal | None:
    """The scale a test's cells state ("14 / 20"), each score stated on another maximum
    converted to it (or to the `given` scale); None when no cell states one."""
    stated_name = name.replace("score", "scale_stated")
    written = [
        (row, score, maximum)
        for row in staged
        if (score := getattr(row, name)) is not None
        and (maximum := getattr(row, stated_name)) is not None
    ]
    if not written:
        return None
    maxima = {maximum for _row, _score, maximum in written}
    if given is not None:
        scale = given
    elif len(maxima) == 1 and next(iter(maxima)) in ALLOWED_SCALES:
        scale = next(iter(maxima))
    else:
        scale = SCALE_PERCENT
    converted = [(row, score, maximum) for row, score, maximum in written if maximum != scale]
    for row, score, maximum in converted:
        setattr(row, name, (score * scale / maximum).quantize(Decimal("0.01")))
    if converted:
        others = ", ".join(sorted(f"{maximum:g}" for maximum in {m for *_, m in converted}))
        notes.append(
            ngettext(
                "%(count)d %(test)s score written out of %(others)s is converted to the "
                "0-%(scale)s scale",
                "%(count)d %(test)s scores written out of %(others)s are converted to the "
                "0-%(scale)s scale",
                len(converted),
            )
            % {
                "count": len(converted),
                "test": _("pre-test") if name == "pre_score" else _("post-test"),
                "others": others,
                "scale": f"{scale:g}",
            }
        )
    return scale


def _options(scores: list[Decimal], given: Decimal | None) -> list[Decimal | None]:
    if given is not None:
        return [given]
    if not scores:
        return [None]
    return list(fitting_scales(scores))


def _mostly_losses(pairs: list[tuple[Decimal, Decimal]], pre: Decimal, post: Decimal) -> bool:
    losses, total = loss_count(pairs, pre, post)
    return total > 0 and losses * 2 > total
