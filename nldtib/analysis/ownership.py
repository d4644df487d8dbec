"""Effective shares over an ownership graph, in time linear in the graph (see :mod:`.control`).

The graph: ``owners[o]`` lists ``(holder, weight_pct, estimated)`` per direct holder of ``o``.
The effective share of ``h`` in ``o`` is the share of ``o`` that reaches ``h``: the sum, over the
ownership paths from ``o`` that end at their first visit to ``h``, of the products of the
weights. Without cross-holdings that is the sum over all paths. Inside a loop of cross-holdings
(a strongly connected component) the paths that go round the loop add up to a convergent
geometric series, which is summed exactly with the loop's fundamental matrix ``(I - W)^-1``
(numpy, O(k^3) for a loop of k companies; ownership loops are small). A loop whose members' shares
add up to 100 % within the loop (nothing leaves it) is held entirely by each member.

Components are visited once each, in topological order of the condensation, so the work is
O(V + E) per quantity propagated, plus the loops.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

__all__ = ["Owners", "components", "shares_from", "holder_vectors", "better", "EPS"]

Owners = dict[str, list[tuple[str, float, bool]]]
# A share below this (a fraction: 1e-9 %) is not carried further; every effective share is exact
# to within it (the error at a company is at most EPS when its holdings add up to 100 % at most).
EPS = 1e-11


def components(owners: Owners, starts: Iterable[str]) -> list[list[str]]:
    """The strongly connected components reachable from ``starts`` over ``o -> holder`` edges,
    holders first (iterative Tarjan: a component is emitted after every one it reaches)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for start in starts:
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(owners.get(start, ())))]
        while work:
            v, it = work[-1]
            for h, _, _ in it:
                if h not in index:
                    index[h] = low[h] = len(index)
                    stack.append(h)
                    on_stack.add(h)
                    work.append((h, iter(owners.get(h, ()))))
                    break
                if h in on_stack and index[h] < low[v]:
                    low[v] = index[h]
            else:
                work.pop()
                if work and low[v] < low[work[-1][0]]:
                    low[work[-1][0]] = low[v]
                if low[v] == index[v]:
                    comp = []
                    while True:
                        x = stack.pop()
                        on_stack.discard(x)
                        comp.append(x)
                        if x == v:
                            break
                    out.append(sorted(comp))
    return out


def _is_loop(owners: Owners, comp: list[str]) -> bool:
    return len(comp) > 1 or any(h == comp[0] for h, _, _ in owners.get(comp[0], ()))


class _Loop:
    """One loop of cross-holdings under the holdings ``use`` keeps: its members, their weights
    inside it, its closed classes (members whose holdings stay among themselves and add up to
    100 %: each holds all of the others) and, for the other members, the fundamental matrix
    ``N = (I - W)^-1`` (expected visits)."""

    def __init__(self, owners: Owners, comp: list[str], use: Callable[[bool], bool]):
        self.members = comp
        self.pos = {v: i for i, v in enumerate(comp)}
        k = len(comp)
        w = self.w = np.zeros((k, k))
        self.exits: list[list[tuple[str, float]]] = []
        kept = np.zeros(k)
        for i, v in enumerate(comp):
            row = [(h, pct / 100.0) for h, pct, est in owners.get(v, ()) if use(est) and pct > 0]
            total = sum(f for _, f in row)
            scale = 1.0 / total if total > 1.0 else 1.0  # holdings over 100 %: read as 100 %
            exits = []
            for h, f in row:
                if h in self.pos:
                    w[i, self.pos[h]] += f * scale
                else:
                    exits.append((h, f * scale))
            self.exits.append(exits)
            kept[i] = w[i].sum() if not exits else 0.0
        inside = {str(i): [(str(j), 1.0, False) for j in np.flatnonzero(w[i])] for i in range(k)}
        self.closed: list[np.ndarray] = []
        for cls in components(inside, list(inside)):
            idx = np.array(sorted(int(x) for x in cls))
            rows = w[idx]
            if (kept[idx] >= 1.0 - 1e-12).all() and np.isclose(rows[:, idx].sum(), rows.sum()):
                self.closed.append(idx)
        closed = np.zeros(k, dtype=bool)
        for idx in self.closed:
            closed[idx] = True
        self.t = np.flatnonzero(~closed)
        self.n = np.linalg.inv(np.eye(len(self.t)) - w[np.ix_(self.t, self.t)])

    def forward(self, entering: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per member: the share of the entering mass that reaches it, and its expected visits."""
        t, n = self.t, self.n
        visits = np.zeros(len(self.members))
        reached = np.zeros(len(self.members))
        visits[t] = entering[t] @ n
        reached[t] = visits[t] / np.diag(n)
        for idx in self.closed:
            reached[idx] = entering[idx].sum() + (visits[t] @ self.w[np.ix_(t, idx)]).sum()
        return reached, visits

    def backward(self, b: np.ndarray) -> np.ndarray:
        """Per member, the share reaching each holder outside the loop, from ``b`` (per member
        and holder: what its exits bring)."""
        x = np.zeros_like(b)
        x[self.t] = self.n @ b[self.t]
        return x

    def to_member(self, j: int) -> np.ndarray:
        """Per member: the share of it reaching member ``j``."""
        col = np.zeros(len(self.members))
        t = self.t
        where = np.flatnonzero(t == j)
        if len(where):
            col[t] = self.n[:, where[0]] / self.n[where[0], where[0]]
            return col
        idx = next(idx for idx in self.closed if j in idx)
        col[idx] = 1.0
        col[t] = self.n @ self.w[np.ix_(t, idx)].sum(axis=1)
        return col


def shares_from(owners: Owners, org: str, use: Callable[[bool], bool] = lambda est: True) -> dict[str, float]:
    """Effective share (a fraction) of every holder of ``org``, over the holdings ``use`` keeps
    (``use(estimated)``). One pass over ``org``'s holders, nearest first."""
    mass: dict[str, float] = defaultdict(float)
    mass[org] = 1.0
    hit: dict[str, float] = {}
    for comp in reversed(components(owners, [org])):
        if not _is_loop(owners, comp):
            v = comp[0]
            m = hit[v] = mass.get(v, 0.0)
            if m > EPS:
                for h, pct, est in owners.get(v, ()):
                    if use(est) and pct > 0:
                        mass[h] += m * pct / 100.0
            continue
        loop = _Loop(owners, comp, use)
        entering = np.array([mass.get(v, 0.0) for v in comp])
        reached, visits = loop.forward(entering)
        for i, v in enumerate(comp):
            hit[v] = float(reached[i])
            for h, f in loop.exits[i]:
                mass[h] += float(visits[i]) * f
    hit.pop(org, None)
    return {h: s for h, s in hit.items() if s > EPS}


def better(best: float, via: str, old_best: float, old_via: str) -> bool:
    """The stronger path (ties, to 1e-9 %: the smaller next owner)."""
    a, b = round(best, 11), round(old_best, 11)
    return a > b or (a == b and via < old_via)


# A holder vector entry: [share, share on recorded (not estimated) holdings, strongest path's
# product, its next hop, the weakest confidence rank and the oldest date it rests on]
Entry = list
# What one step rests on: ``steps[o, h]`` for the company o and its holding in h, ``ends[h]`` for
# the holder at the end of a path: (confidence rank, date), combined by (max, min).
Evidence = tuple[int, int]


def holder_vectors(
    owners: Owners,
    starts: Iterable[str],
    keep: Callable[[str], bool],
    steps: dict[tuple[str, str], Evidence],
    ends: dict[str, Evidence],
) -> dict[str, dict[str, Entry]]:
    """For every company reachable from ``starts``: its holders that ``keep`` accepts, each with
    the effective share, the share resting on recorded holdings only, and the strongest path's
    product, next hop and evidence. Holders first, each component once: O((V + E) · f) for f
    kept holders per company (plus the loops)."""
    vec: dict[str, dict[str, Entry]] = {}
    for comp in components(owners, starts):
        if _is_loop(owners, comp):
            _loop_vectors(owners, comp, keep, vec, steps, ends)
            continue
        v = comp[0]
        held = [x for x in owners.get(v, ()) if x[1] > 0]
        if len(held) == 1:  # the common case, a single owner: one pass over its vector
            (c, pct, est), f = held[0], held[0][1] / 100.0
            (c0, c1), rf = steps[v, c], 0.0 if est else f
            mine = {
                h: [f * s, rf * r, f * b, c, c0 if c0 > e0 else e0, c1 if c1 < e1 else e1]
                for h, (s, r, b, _, e0, e1) in vec[c].items()
            }
            if keep(c):
                mine[c] = [f, rf, f, c, max(c0, ends[c][0]), min(c1, ends[c][1])]
            vec[v] = {h: e for h, e in mine.items() if e[0] > EPS} if f < 1.0 else mine
            continue
        mine = {}
        for c, pct, est in held:
            f = pct / 100.0
            if f <= 0:
                continue
            step = steps[v, c]
            if keep(c):
                _add(mine, c, f, 0.0 if est else f, f, c, step, ends[c])
            for h, e in vec[c].items():
                _add(mine, h, f * e[0], 0.0 if est else f * e[1], f * e[2], c, step, e[4:])
        vec[v] = {h: e for h, e in mine.items() if e[0] > EPS}
    return vec


def _add(mine: dict[str, Entry], h: str, s: float, r: float, b: float, via: str, step: Evidence, rest) -> None:
    e = mine.get(h)
    if e is None:
        mine[h] = [s, r, b, via, max(step[0], rest[0]), min(step[1], rest[1])]
        return
    e[0] += s
    e[1] += r
    if better(b, via, e[2], e[3]):
        e[2:] = b, via, max(step[0], rest[0]), min(step[1], rest[1])


def _loop_vectors(owners: Owners, comp: list[str], keep: Callable[[str], bool], vec: dict, steps, ends) -> None:
    """Holder vectors of the members of one loop, from those of the holders it leads to."""
    loops = (_Loop(owners, comp, lambda est: True), _Loop(owners, comp, lambda est: not est))
    pos = loops[0].pos
    reached = {h for v in comp for c, _ in loops[0].exits[pos[v]] for h in (c, *vec[c])}
    holders = sorted({h for h in reached if keep(h)} | {v for v in comp if keep(v)})
    k = len(comp)
    col = {h: j for j, h in enumerate(holders)}
    result = [np.zeros((k, len(holders))), np.zeros((k, len(holders)))]
    for which, loop in enumerate(loops):
        b = np.zeros((k, len(holders)))
        for i in range(k):
            for c, f in loop.exits[i]:
                if c in col:
                    b[i, col[c]] += f
                for h, e in vec[c].items():
                    b[i, col[h]] += f * e[which]
        x = loop.backward(b)
        for h in comp:
            if h in col:
                x[:, col[h]] = loop.to_member(pos[h])
        result[which] = x
    best = _loop_strongest(owners, comp, holders, vec, steps, ends)
    for i, v in enumerate(comp):
        mine = {}
        for h, j in col.items():
            s = float(result[0][i, j])
            if h != v and s > EPS and h in best[v]:
                mine[h] = [s, float(result[1][i, j]), *best[v][h]]
        vec[v] = mine


def _loop_strongest(owners: Owners, comp: list[str], holders: list[str], vec: dict, steps, ends) -> dict[str, dict]:
    """Per member and holder: the strongest simple path's product and next hop (Dijkstra on the
    loop per holder: products of weights of at most 100 % only shrink along a path)."""
    members = set(comp)
    held_by: dict[str, list[tuple[str, float]]] = defaultdict(list)  # u -> [(v, f)]: v owned by u
    for v in comp:
        for u, pct, _ in owners.get(v, ()):
            if u in members and pct > 0:
                held_by[u].append((v, pct / 100.0))
    out: dict[str, dict] = {v: {} for v in comp}
    for h in holders:
        cand: dict[str, tuple] = {}  # v -> (product, next hop, confidence rank, date)
        for v in comp:
            for c, pct, _ in owners.get(v, ()):
                f = pct / 100.0
                if f <= 0 or (c in members and c != h):
                    continue
                if c == h:
                    b, rest = f, ends[h]
                elif h in vec.get(c, ()):
                    b, rest = f * vec[c][h][2], vec[c][h][4:]
                else:
                    continue
                if v not in cand or better(b, c, *cand[v][:2]):
                    step = steps[v, c]
                    cand[v] = (b, c, max(step[0], rest[0]), min(step[1], rest[1]))
        heap = [(-round(x[0], 11), x[1], v) for v, x in cand.items()]
        if h in members:
            cand[h] = (1.0, h, *ends[h])
            heap.append((-1.0, h, h))
        heapq.heapify(heap)
        done: set[str] = set()
        while heap:
            _, _, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            b_u, _, conf, asof = cand[u]
            if u != h:
                out[u][h] = list(cand[u])
            else:
                b_u, conf, asof = 1.0, *ends[h]
            for v, f in held_by.get(u, ()):
                if v in done or v == h:
                    continue
                b = f * b_u
                if v not in cand or better(b, u, *cand[v][:2]):
                    step = steps[v, u]
                    cand[v] = (b, u, max(step[0], conf), min(step[1], asof))
                    heapq.heappush(heap, (-round(b, 11), u, v))
    return out
