"""Constrained clustering of auto-link pairs.

Plain connected components chain errors: A-B and B-C link although A and C hold different
DNIs. Here edges are processed strongest first and two groups are only merged when the merged
group would hold no two conflicting DNIs and no cannot-link pair.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def dni_typo_apart(a: str, b: str) -> bool:
    """One substituted digit or one adjacent transposition."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]
    if len(diff) == 1:
        return True
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


def dni_sets_conflict(left: set[str], right: set[str], policy: str) -> bool:
    if policy == "none" or not left or not right:
        return False
    if policy == "any_difference":
        return left != right or len(left) > 1
    return any(a != b and not dni_typo_apart(a, b) for a in left for b in right)


class _Groups:
    def __init__(self, dnis: list[str], policy: str) -> None:
        self.parent = list(range(len(dnis)))
        self.dnis: dict[int, set[str]] = {i: {d} for i, d in enumerate(dnis) if d}
        self.cannot: dict[int, set[int]] = {}
        self.policy = policy

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def conflict(self, ra: int, rb: int) -> str:
        if dni_sets_conflict(self.dnis.get(ra, set()), self.dnis.get(rb, set()), self.policy):
            return "different DNIs"
        small, big = (
            (ra, rb) if len(self.cannot.get(ra, ())) <= len(self.cannot.get(rb, ())) else (rb, ra)
        )
        if any(self.find(x) == big for x in self.cannot.get(small, ())):
            return "cannot-link"
        return ""

    def union(self, ra: int, rb: int) -> None:
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if rb in self.dnis:
            self.dnis.setdefault(ra, set()).update(self.dnis.pop(rb))
        if rb in self.cannot:
            self.cannot.setdefault(ra, set()).update(self.cannot.pop(rb))

    def forbid(self, a: int, b: int) -> None:
        self.cannot.setdefault(self.find(a), set()).add(b)
        self.cannot.setdefault(self.find(b), set()).add(a)


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def constrained_clusters(
    ids: pd.Index,
    conflict_dnis: np.ndarray,
    edges_left: np.ndarray,
    edges_right: np.ndarray,
    edge_scores: np.ndarray,
    *,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    policy: str = "any_difference",
) -> tuple[pd.Series, pd.DataFrame]:
    """Cluster records; returns (cluster id per record id, rejected must-link pairs).

    ``conflict_dnis`` holds, per record position, the DNI that takes part in conflicts (a valid
    8-digit DNI) or ''. Edges are positions. The cluster id is the smallest record id in it.

    Plain connected components are computed first; only components that hold a conflict
    (two DNIs, or both ends of a cannot-link pair) go through the slower constrained merge.
    """
    n = len(ids)
    edges_left = np.asarray(edges_left, dtype=np.int64)
    edges_right = np.asarray(edges_right, dtype=np.int64)
    edge_scores = np.asarray(edge_scores, dtype=float)
    must_link, cannot_link = list(must_link), list(cannot_link)
    rejected: list[tuple[object, object, str]] = []
    must_pos = ids.get_indexer(pd.Index([a for a, _ in must_link]))
    must_pos_b = ids.get_indexer(pd.Index([b for _, b in must_link]))
    for (a, b), pa, pb in zip(must_link, must_pos, must_pos_b, strict=True):
        if pa < 0 or pb < 0:
            rejected.append((a, b, "unknown id"))
    known = (must_pos >= 0) & (must_pos_b >= 0)
    cannot_a = ids.get_indexer(pd.Index([a for a, _ in cannot_link]))
    cannot_b = ids.get_indexer(pd.Index([b for _, b in cannot_link]))
    cannot_ok = (cannot_a >= 0) & (cannot_b >= 0)
    cannot_a, cannot_b = cannot_a[cannot_ok], cannot_b[cannot_ok]

    all_left = np.r_[must_pos[known], edges_left].astype(np.int64)
    all_right = np.r_[must_pos_b[known], edges_right].astype(np.int64)
    comp = _components(n, all_left, all_right)
    dirty = np.zeros(comp.max(initial=-1) + 1, bool)
    if policy != "none":
        dnis = pd.Series(np.asarray(conflict_dnis, dtype=object))
        has = (dnis != "").to_numpy()
        distinct = dnis[has].groupby(comp[has]).nunique()
        dirty[distinct.index[distinct.to_numpy() > 1]] = True
    dirty[comp[cannot_a][comp[cannot_a] == comp[cannot_b]]] = True
    labels_pos = comp.astype(np.int64)
    if dirty.any():
        local = np.flatnonzero(dirty[comp])
        slot = np.full(n, -1, np.int64)
        slot[local] = np.arange(len(local))
        groups = _Groups([str(conflict_dnis[i]) for i in local], policy)
        for a, b in zip(slot[cannot_a], slot[cannot_b], strict=True):
            if a >= 0 and b >= 0:
                groups.forbid(int(a), int(b))
        for (a, b), pa, pb in zip(must_link, must_pos, must_pos_b, strict=True):
            if pa < 0 or pb < 0 or slot[pa] < 0:
                continue
            ra, rb = groups.find(int(slot[pa])), groups.find(int(slot[pb]))
            if ra == rb:
                continue
            reason = groups.conflict(ra, rb)
            if reason:
                rejected.append((a, b, reason))
            else:
                groups.union(ra, rb)
        inside = slot[edges_left] >= 0
        el, er = slot[edges_left[inside]], slot[edges_right[inside]]
        es = edge_scores[inside]
        order = np.lexsort((er, el, -es))
        for a, b in zip(el[order].tolist(), er[order].tolist(), strict=True):
            ra, rb = groups.find(a), groups.find(b)
            if ra != rb and not groups.conflict(ra, rb):
                groups.union(ra, rb)
        # Give constrained groups labels beyond the component numbers.
        roots = np.array([groups.find(i) for i in range(len(local))], dtype=np.int64)
        labels_pos[local] = len(dirty) + roots
    # Label each cluster by its smallest record id so labels do not depend on row order.
    labels = pd.Series(np.asarray(ids), index=ids).groupby(labels_pos).transform("min")
    conflicts = pd.DataFrame(rejected, columns=["left_id", "right_id", "reason"])
    return labels.rename("cluster"), conflicts
