"""Weights for one list of names: official shares for the head, a fitted power law for the tail.

An official list gives the most common names of a country with their counts or shares (or
only their ranks). Package lists (faker, mimesis) add names the list lacks, without usable
frequencies. :func:`fit_weights` keeps the official shares, fits ``share ≈ C · rank^-α`` to
the lower half of the official list (log-log least squares) and continues that curve over
the extra names, ranked after the official ones; when the official shares are absolute
(counts over a known total, or shares), the continuation is bent so that the whole list
carries the mass the official list leaves over (see :class:`Fit` for what is reported).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Exponent used for a list published with ranks only, and when too few official values
#: exist to fit one: the slope of the counted national surname lists over their top 100
#: (US 2010 Census 0.52, Netherlands 2007 0.48), rounded. A ranks-only list gets the
#: weights rank^-0.5, so its order is right but its shares are only indicative.
DEFAULT_ALPHA = 0.5
#: Exponent of the tail that continues a *given-name* list published with ranks only: the
#: counted given-name lists steepen past their head (US 1990 female 1.41, male 1.58, Brazil
#: 2010 female 1.38, male 1.41 between ranks 100 and 1000), so a rank^-0.5 tail would give
#: the names of a package list (never ranked) far too much weight. Family-name tails keep
#: DEFAULT_ALPHA: a country's surnames run to tens of thousands, and the flatter tail
#: stands in for the names no list holds.
RANKS_GIVEN_TAIL_BETA = 1.45
#: Fitted exponents are kept in this range (a short or tied list can fit nonsense).
ALPHA_RANGE = (0.4, 2.5)


@dataclass(frozen=True)
class Fit:
    """How one (country, kind) list was weighted, for SOURCES.md and the build report.

    ``mode`` is ``absolute`` (official shares of a known base), ``relative`` (counts with
    no known base: only their ratios are kept) or ``ranks`` (ranks only: weights
    ``rank^-α`` with α = :data:`DEFAULT_ALPHA`). ``alpha`` is the fitted exponent and
    ``rms`` the root-mean-square residual of the fit in log10 units (0.05 ≈ 12 %);
    ``beta`` the exponent the tail got; ``head_scale`` the factor the official shares were
    multiplied by in the output (1 when they are kept; above 1 when the extra names could
    not carry the rest of the population and the head was scaled up).
    """

    n_official: int
    n_tail: int
    mode: str
    alpha: float
    rms: float
    official_mass: float
    beta: float
    head_scale: float
    top_share: float
    #: Leading official names whose shares were kept when the rest was scaled (0: none).
    kept: int = 0

    def describe(self) -> str:
        if self.mode == "ranks":
            law = f"ranks only, weights rank^-{self.alpha:.2f}"
        else:
            law = f"α={self.alpha:.2f} (rms {self.rms:.3f} log10)"
        text = f"{self.n_official} official + {self.n_tail} extra names, {law}"
        if self.mode == "absolute":
            text += f", official shares cover {self.official_mass:.1%}"
            if self.n_tail:
                text += f", tail β={self.beta:.2f}"
            if self.head_scale > 1.0005 and self.kept:
                text += f", names after the first {self.kept} scaled ×{self.head_scale:.2f}"
            elif self.head_scale > 1.0005:
                text += f", head scaled ×{self.head_scale:.2f}"
        elif self.mode == "relative":
            text += ", counts without a base (relative)"
        return text + f"; top name {self.top_share:.2%}"


def _power_fit(values: np.ndarray) -> tuple[float, float, float]:
    """(α, rms of log10 residuals, fitted value at the last rank) over the lower half."""
    n = len(values)
    ranks = np.arange(1, n + 1, dtype=np.float64)
    if n < 5:
        return DEFAULT_ALPHA, 0.0, float(values[-1])
    lo = n // 2 if n >= 10 else 0
    x, y = np.log(ranks[lo:]), np.log(values[lo:])
    slope = np.polyfit(x, y, 1)[0]
    alpha = float(np.clip(-slope, *ALPHA_RANGE))
    # refit the level with the clipped slope, so the curve passes through the points
    level = float(np.mean(y + alpha * x))
    resid = y - (level - alpha * x)
    rms = float(np.sqrt(np.mean(resid**2)) / math.log(10))
    return alpha, rms, float(math.exp(level - alpha * math.log(n)))


def _tail(anchor: float, n: int, m: int, beta: float) -> np.ndarray:
    k = np.arange(n + 1, n + m + 1, dtype=np.float64)
    return anchor * (k / n) ** -beta


def _scale_after(
    values: np.ndarray, tail: np.ndarray, keep: int
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Scale the names after the first ``keep`` (official, then tail) by one factor so that
    all sum to 1, none above the last kept share (the order stays): the new shares and the
    factor; None if impossible."""
    fixed = float(values[:keep].sum())
    cap = float(values[keep - 1])
    rest = np.concatenate([values[keep:], tail])
    if fixed >= 1.0 or cap * len(rest) < 1.0 - fixed:
        return None
    lo, hi = 1.0, cap / float(rest[rest > 0].min())
    for _ in range(200):
        mid = (lo + hi) / 2
        if np.minimum(rest * mid, cap).sum() < 1.0 - fixed:
            lo = mid
        else:
            hi = mid
    scaled = np.minimum(rest * hi, cap)
    scaled *= (1.0 - fixed) / scaled.sum()
    head = np.concatenate([values[:keep], scaled[: len(values) - keep]])
    return head, scaled[len(values) - keep :], hi


def _block_means(tail: np.ndarray, blocks: Sequence[object]) -> np.ndarray:
    """Each block's names get the mean of the block's weights (the block's mass is kept)."""
    out = tail.copy()
    index: dict[object, list[int]] = {}
    for i, key in enumerate(blocks):
        if key is not None:
            index.setdefault(key, []).append(i)
    for members in index.values():
        out[members] = tail[members].mean()
    return out


def _solve_beta(anchor: float, n: int, m: int, target: float, lo: float, hi: float) -> float:
    """β in [lo, hi] with Σ tail(β) = target (the sum falls as β grows)."""
    for _ in range(100):
        mid = (lo + hi) / 2
        if _tail(anchor, n, m, mid).sum() > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def fit_weights(
    official: Sequence[tuple[str, float | None]],
    extra: Sequence[str],
    *,
    absolute: bool,
    ranks_tail_beta: float = DEFAULT_ALPHA,
    blocks: Sequence[object] | None = None,
    keep: int = 0,
) -> tuple[list[tuple[str, float]], Fit]:
    """Weights (summing to 1) for ``official`` names, in rank order, then ``extra`` names.

    ``official`` holds (name, value): a share of the base population when ``absolute``,
    else a count whose scale is unknown, or None for every name of a ranks-only list.
    ``extra`` are further names, most likely first, none of them in ``official``.
    ``ranks_tail_beta`` is the tail exponent after a ranks-only list. ``blocks`` (one key
    per extra name, or None) marks runs of names whose order is not a rank (a package
    list without weights, in alphabetical order): names sharing a key share the mean
    weight the curve gives their positions, so Aaron is not commoner than Zoe. ``keep``:
    when the names cannot hold the whole population, the shares of this many leading
    official names stay as published and only the names after them are scaled up (the
    counted top of a list is its best-known part; Norway's top 10 ahead of 3,000 counted
    names whose rarer kin no list holds).
    """
    n, m = len(official), len(extra)
    if n == 0:
        msg = "an official list needs at least one name"
        raise ValueError(msg)
    raw = [v for _, v in official]
    if all(v is None for v in raw):
        mode = "ranks"
        values = np.arange(1, n + 1, dtype=np.float64) ** -DEFAULT_ALPHA
        alpha, rms, anchor = DEFAULT_ALPHA, 0.0, float(values[-1])
    elif any(v is None for v in raw):
        msg = "official values must all be given or all be None"
        raise ValueError(msg)
    else:
        mode = "absolute" if absolute else "relative"
        values = np.array(raw, dtype=np.float64)
        alpha, rms, anchor = _power_fit(values)
    mass = float(values.sum())
    beta, scale = (ranks_tail_beta if mode == "ranks" else alpha), 1.0
    tail = _tail(anchor, n, m, beta) if m else np.zeros(0)
    if mode == "absolute" and m:
        rest = 1.0 - mass
        if rest <= 0:
            scale = 1.0 / (mass + tail.sum())
        elif tail.sum() >= rest:  # more extra names than the rest needs: a steeper tail
            beta = _solve_beta(anchor, n, m, rest, alpha, 60.0)
            tail = _tail(anchor, n, m, beta)
        elif anchor * m >= rest:  # a flatter tail carries the rest
            beta = _solve_beta(anchor, n, m, rest, 0.0, alpha)
            tail = _tail(anchor, n, m, beta)
        else:  # even a flat tail at the last official share is too little: flat there,
            # and the head scaled up (no extra name becomes commoner than an official one)
            beta = 0.0
            tail = np.full(m, anchor)
            scale = 1.0 / (mass + tail.sum())
    elif mode == "absolute":
        scale = 1.0 / mass
    else:
        scale = 1.0 / (mass + tail.sum())
    if blocks is not None and m:
        tail = _block_means(tail, blocks)
    out_head, out_tail, kept = values * scale, tail * scale, 0
    if scale > 1.0 and 0 < keep < n and mode == "absolute":
        capped = _scale_after(values, tail, keep)
        if capped is not None:
            out_head, out_tail, scale = capped
            kept = keep
    weights = [(name, float(v)) for (name, _), v in zip(official, out_head, strict=True)]
    weights += [(name, float(v)) for name, v in zip(extra, out_tail, strict=True)]
    fit = Fit(
        n_official=n,
        n_tail=m,
        mode=mode,
        alpha=alpha,
        rms=rms,
        official_mass=mass if mode == "absolute" else mass * scale,
        beta=beta,
        head_scale=scale,
        top_share=float(out_head[0]),
        kept=kept,
    )
    return weights, fit
