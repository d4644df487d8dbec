"""The graph kernels behind the critical-set analysis: closures, SCCs and the crit-set recursion.

All work on a :class:`~nldtib.projection.Projection`. ``crit(u)`` is the set of units whose loss
alone stops ``u`` (``u`` included)::

    crit(u) = {u} ∪ ⋃_{slots s of u with providers} ⋂_{p ∈ providers(s)} crit(p)

Operational status is a *greatest* fixpoint (a loop of suppliers sustains itself), so failure is a
*least* fixpoint, and so is membership in crit sets: ``x ∈ crit(u)`` iff ``u = x`` or some slot of
``u`` has every provider with ``x`` in its crit set, derived in finitely many steps. We therefore
condense strongly connected components (iterative Tarjan), process them providers-first, and
inside a cyclic component start every member at the empty set and iterate *upwards* to the least
fixpoint of the equation. (Starting at ⊤ and iterating down, as the iterative dominator algorithm
does, would give the answer for the least-fixpoint availability semantics instead, where an
unsupported loop is down; the property tests compare both against brute-force removal.)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

import numpy as np

from ..projection import Projection
from .cascade import cascade, hundredths, ranges

__all__ = ["closure", "components", "solve_crit", "explain_critical", "Explainer", "Gate"]


class Gate:
    """Threshold gates (``min_share`` > 0): what a slot contributes to its owner's crit set.

    A slot fails under the loss of ``x`` when, of its providers that are up at the outset, those
    whose crit sets hold ``x`` are lost and the survivors neither include one with an unknown share
    nor reach the threshold with their known shares. Units down at the outset (``base_down``: a
    slot short of the threshold with nothing lost) are left out as providers; their own crit set
    is just themselves (the outputs say they are down). Gates are monotone, so the least-fixpoint
    recursion of :func:`solve_crit` stays exact.
    """

    def __init__(self, proj: Projection, min_share: float) -> None:
        self.threshold = hundredths(min_share)
        self.base_down = cascade(proj, [], min_share).down
        self.down = self.base_down.tolist()
        self.share = proj.prov_share.tolist()

    def contribution(self, s: int, crit, arrays) -> set[int] | frozenset[int]:
        """The units whose loss alone makes slot ``s`` fail."""
        _, prov_ptr, prov, _ = arrays
        a, b = prov_ptr[s], prov_ptr[s + 1]
        down, share = self.down, self.share
        live = [(prov[e], share[e]) for e in range(a, b) if not down[prov[e]]]
        if not live:
            return frozenset()  # failed at the outset: its owner is down at the outset
        unknown = [p for p, sh in live if sh < 0]
        known = [(p, sh) for p, sh in live if sh >= 0]
        if not known:  # no share recorded: any provider will do
            return _intersection([crit[p] for p, _ in live])
        total, threshold = sum(sh for _, sh in known), self.threshold
        if unknown:  # every provider with an unknown share must be lost, and the rest fall short
            cand = _intersection([crit[p] for p in unknown])
            return {x for x in cand if total - sum(sh for p, sh in known if x in crit[p]) < threshold}
        lost: dict[int, int] = {}
        for p, sh in known:
            for x in crit[p]:
                lost[x] = lost.get(x, 0) + sh
        return {x for x, w in lost.items() if total - w < threshold}

    def witness(self, s: int, x: int, crit, arrays) -> int:
        """A provider of slot ``s`` that is up at the outset and has ``x`` in its crit set."""
        _, prov_ptr, prov, _ = arrays
        candidates = [prov[e] for e in range(prov_ptr[s], prov_ptr[s + 1]) if not self.down[prov[e]]]
        if x in candidates:  # x itself provides the slot: the chain ends here
            return x
        return next(p for p in candidates if x in crit[p])


def _intersection(sets: list) -> frozenset[int]:
    if not sets:
        return frozenset()
    sets = sorted(sets, key=len)
    inter = sets[0]
    for other in sets[1:]:
        if not inter:
            break
        inter = inter & other
    return inter


def closure(
    proj: Projection, roots: Iterable[int], direction: str = "up", within: np.ndarray | None = None
) -> np.ndarray:
    """Bool mask of the units reachable from ``roots`` (included), upstream or downstream.

    ``within`` (bool mask) restricts the walk to those units.
    """
    ptr, dst = proj.upstream_edges() if direction == "up" else proj.downstream_edges()
    seen = np.zeros(proj.n, dtype=bool)
    frontier = np.unique(np.asarray(list(roots), dtype=np.int64))
    seen[frontier] = True
    while len(frontier):
        nxt = dst[ranges(ptr[frontier], ptr[frontier + 1] - ptr[frontier])]
        nxt = nxt[~seen[nxt]]
        if within is not None:
            nxt = nxt[within[nxt]]
        if len(nxt) * 16 > proj.n:  # dense level: a mask pass beats sorting
            fresh = np.zeros(proj.n, dtype=bool)
            fresh[nxt] = True
            frontier = np.flatnonzero(fresh)
        else:
            frontier = np.unique(nxt).astype(np.int64)
        seen[frontier] = True
    return seen


def components(proj: Projection, mask: np.ndarray) -> list[list[int]]:
    """Strongly connected components of the unit graph restricted to ``mask``, providers first.

    Iterative Tarjan over consumer -> provider edges; Tarjan emits a component only after every
    component it reaches, so the list is in the order the crit recursion needs. O(N + E).
    """
    ptr_a, dst_a = proj.upstream_edges()
    ptr, dst = ptr_a.tolist(), dst_a.tolist()
    inside = mask.tolist()
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in np.flatnonzero(mask).tolist():
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, ptr[root])]
        while work:
            v, i = work[-1]
            end = ptr[v + 1]
            while i < end:
                w = dst[i]
                i += 1
                if not inside[w]:
                    continue
                if w not in index:
                    work[-1] = (v, i)
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, ptr[w]))
                    break
                if w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    if low[v] < low[u]:
                        low[u] = low[v]
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    out.append(sorted(comp))
    return out


def _compute(v: int, crit, arrays, gate: Gate | None = None) -> frozenset:
    slot_ptr, prov_ptr, prov, _ = arrays
    acc = {v}
    if gate is not None:
        if not gate.down[v]:
            for s in range(slot_ptr[v], slot_ptr[v + 1]):
                if prov_ptr[s] < prov_ptr[s + 1]:
                    acc |= gate.contribution(s, crit, arrays)
        return frozenset(acc)
    for s in range(slot_ptr[v], slot_ptr[v + 1]):
        a, b = prov_ptr[s], prov_ptr[s + 1]
        if a == b:
            continue  # coverage gap: nothing known can disrupt it
        if b - a == 1:
            acc |= crit[prov[a]]
            continue
        sets = [crit[p] for p in prov[a:b]]
        sets.sort(key=len)
        inter = sets[0]
        for other in sets[1:]:
            if not inter:
                break
            inter = inter & other
        acc |= inter
    return frozenset(acc)


def solve_crit(proj: Projection, comps: list[list[int]], crit, gate: Gate | None = None) -> None:
    """Fill ``crit[v]`` for every unit of ``comps`` (providers first), reading providers from ``crit``.

    ``crit`` is any mapping indexable by node (a list, or a dict overlay over a base list).
    ``gate``: threshold gates (see :class:`Gate`); None for plain any-of slots.
    """
    arrays = proj.py_arrays()
    slot_ptr, prov_ptr, prov, _ = arrays
    loops = proj.self_loops()
    for comp in comps:
        if len(comp) == 1 and comp[0] not in loops:
            v = comp[0]
            crit[v] = frozenset()  # read only if v provides to itself, which it does not
            crit[v] = _compute(v, crit, arrays, gate)
            continue
        members = set(comp)
        for v in comp:
            crit[v] = frozenset()
        # Consumers inside the component, per provider, to re-queue on change.
        users: dict[int, list[int]] = {v: [] for v in comp}
        for v in comp:
            for s in range(slot_ptr[v], slot_ptr[v + 1]):
                for p in prov[prov_ptr[s] : prov_ptr[s + 1]]:
                    if p in members:
                        users[p].append(v)
        queue = list(comp)
        queued = set(comp)
        while queue:
            v = queue.pop()
            queued.discard(v)
            value = _compute(v, crit, arrays, gate)
            if value != crit[v]:
                crit[v] = value
                for u in users[v]:
                    if u not in queued:
                        queued.add(u)
                        queue.append(u)


def explain_critical(
    proj: Projection, crit, target: int, x: int, known: np.ndarray | None = None, gate: Gate | None = None
) -> tuple[list[int], list[int]]:
    """One shortest chain ``[target, ..., x]`` through units whose crit sets contain ``x``.

    Each step goes from a unit to a provider of a *witness* slot (a slot every live provider of
    which has ``x`` in its crit set). Returns the units and the slot used at each step. The
    breadth-first search runs level by level on arrays; ties go to the first unit reached, then
    the first slot, then the first provider (the order of a plain breadth-first search).
    ``known`` (int8 per node, optional) memoises ``x in crit[p]`` (1 yes, 2 no, 0 not asked) and
    is filled in place, so searches for the same ``x`` from other targets can reuse it.
    """
    if gate is not None:
        return _plain_chain(proj, crit, target, x, gate)
    slot_ptr, prov_ptr, prov = proj.slot_ptr, proj.prov_ptr, proj.prov
    nprov = proj.n_providers()
    if known is None:
        known = np.zeros(proj.n, dtype=np.int8)  # 1: x in crit[p], 2: not, 0: not asked yet
    seen = np.zeros(proj.n, dtype=bool)
    par_unit = np.full(proj.n, -1, dtype=np.int64)
    par_slot = np.full(proj.n, -1, dtype=np.int64)
    seen[target] = True
    frontier = np.array([target], dtype=np.int64)
    while len(frontier) and not seen[x]:
        counts = slot_ptr[frontier + 1] - slot_ptr[frontier]
        slots = ranges(slot_ptr[frontier], counts)
        owners = np.repeat(frontier, counts)
        k = nprov[slots].astype(np.int64)
        keep = k > 0
        slots, owners, k = slots[keep], owners[keep], k[keep]
        if not len(slots):
            break
        provs = prov[ranges(prov_ptr[slots], k)]
        ask = provs[known[provs] == 0]
        if len(ask):
            ask = np.unique(ask)
        if len(ask):
            known[ask] = np.where(np.fromiter((x in crit[p] for p in ask.tolist()), dtype=bool, count=len(ask)), 1, 2)
        starts = np.concatenate(([0], np.cumsum(k)[:-1]))
        witness = np.add.reduceat((known[provs] != 1).astype(np.int64), starts) == 0
        rows = np.repeat(witness, k)
        p_w = provs[rows]
        v_w = np.repeat(owners, k)[rows]
        s_w = np.repeat(slots, k)[rows]
        fresh = ~seen[p_w]
        p_w, v_w, s_w = p_w[fresh], v_w[fresh], s_w[fresh]
        _, first = np.unique(p_w, return_index=True)
        first.sort()
        frontier = p_w[first].astype(np.int64)
        par_unit[frontier] = v_w[first]
        par_slot[frontier] = s_w[first]
        seen[frontier] = True
    units, slots_used = [x], []
    while par_unit[units[-1]] >= 0:
        slots_used.append(int(par_slot[units[-1]]))
        units.append(int(par_unit[units[-1]]))
    return units[::-1], slots_used[::-1]


def _plain_chain(proj: Projection, crit, target: int, x: int, gate: Gate) -> tuple[list[int], list[int]]:
    """The breadth-first chain search through witness slots, slot by slot (threshold gates)."""
    arrays = proj.py_arrays()
    slot_ptr = arrays[0]
    parent: dict[int, tuple[int, int]] = {target: (-1, -1)}
    frontier = [target]
    while frontier and x not in parent:
        nxt = []
        for v in frontier:
            for s in range(slot_ptr[v], slot_ptr[v + 1]):
                if x not in gate.contribution(s, crit, arrays):
                    continue
                for p in proj.providers(s).tolist():
                    if p not in parent and not gate.down[p] and x in crit[p]:
                        parent[p] = (v, s)
                        nxt.append(p)
        frontier = nxt
    units, slots = [x], []
    while parent[units[-1]][0] >= 0:
        v, s = parent[units[-1]]
        slots.append(s)
        units.append(v)
    return units[::-1], slots[::-1]


class Explainer:
    """Explanation chains for many (target, critical unit) pairs, sharing work between them.

    From each unit the chain steps to ``x`` itself where ``x`` is the sole provider of a slot,
    else along the first witness slot (every provider has ``x`` in its crit set) to its first
    provider. Units are mapped once, every member of their crit set to its step, so chains
    through them cost O(1) a step, until the maps hold ``MAPPED`` entries in all; further units
    are scanned slot by slot for each step (O(slots × providers) membership tests), so a
    sole-source chain of depth d never holds d² map entries. With threshold gates the witness
    slots of a unit are mapped once per unit (:meth:`Gate.contribution`). Inside a
    supply cycle the first witness may lead round the loop; then the chain falls back to the
    breadth-first :func:`explain_critical` (shortest), so every chain is finite and valid.
    """

    KNOWN = 256  # memoised membership arrays kept for the breadth-first fallback (n bytes each)
    MAPPED = 2_000_000  # map entries kept in all (about 0.2 GB); further units are scanned

    def __init__(self, proj: Projection, crit, gate: Gate | None = None) -> None:
        self.proj, self.crit, self.gate = proj, crit, gate
        self.arrays = proj.py_arrays()
        self.maps: dict[int, dict[int, tuple[int, int]]] = {}  # threshold gates: u -> x -> step
        contains = getattr(crit, "contains", None)
        self.has = contains if contains is not None else (lambda p, x: x in crit[p])
        self.known: OrderedDict[int, np.ndarray] = OrderedDict()
        self.mapped = 0  # map entries held (crit forests only)

    def _known(self, x: int) -> np.ndarray:
        found = self.known.pop(x, None)
        if found is None:
            found = np.zeros(self.proj.n, dtype=np.int8)
            if len(self.known) >= self.KNOWN:
                self.known.popitem(last=False)
        self.known[x] = found
        return found

    def _step(self, u: int, x: int) -> tuple[int, int]:
        """The next step from ``u`` towards ``x``: a slot of ``u`` of which ``x`` is the sole
        provider, else the first slot every provider of which has ``x`` in its crit set, and that
        slot's first provider."""
        found = self.maps.get(u)
        if found is None and self.gate is not None:
            found = self.maps[u] = self._gate_map(u)
        if found is None and self._small(u):
            found = self.maps[u] = self._plain_map(u)
        if found is not None:
            return found[x]
        slot_ptr, prov_ptr, prov, _ = self.arrays
        for s in range(slot_ptr[u], slot_ptr[u + 1]):
            if prov_ptr[s + 1] - prov_ptr[s] == 1 and prov[prov_ptr[s]] == x:
                return s, x
        has = self.has
        for s in range(slot_ptr[u], slot_ptr[u + 1]):
            a, b = prov_ptr[s], prov_ptr[s + 1]
            if a < b and all(has(p, x) for p in prov[a:b]):
                return s, prov[a]
        raise AssertionError(f"{x} is not in the crit set of {u}")

    def _small(self, u: int) -> bool:
        """Whether ``u``'s map still fits the budget (then ``u`` is mapped once)."""
        size = getattr(self.crit, "size", None)
        if size is None:
            return True
        if self.mapped + size[u] > self.MAPPED:
            return False
        self.mapped += size[u]
        return True

    def _plain_map(self, u: int) -> dict[int, tuple[int, int]]:
        """Every member of ``u``'s crit set to its step: a direct sole provider first, then the
        first witness slot and its first provider (the same steps as the scan in :meth:`_step`)."""
        slot_ptr, prov_ptr, prov, _ = self.arrays
        crit = self.crit
        forest = getattr(crit, "members", None)
        members = (lambda p: forest(p, keep=False)) if forest is not None else (lambda p: crit[p])
        found: dict[int, tuple[int, int]] = {}
        for s in range(slot_ptr[u], slot_ptr[u + 1]):
            if prov_ptr[s + 1] - prov_ptr[s] == 1 and prov[prov_ptr[s]] not in found:
                found[prov[prov_ptr[s]]] = (s, prov[prov_ptr[s]])
        for s in range(slot_ptr[u], slot_ptr[u + 1]):
            a, b = prov_ptr[s], prov_ptr[s + 1]
            if a == b:
                continue
            inter = members(prov[a])
            for p in prov[a + 1 : b]:
                if not inter:
                    break
                inter = inter & members(p)
            for x in inter:
                if x not in found:
                    found[x] = (s, prov[a])
        return found

    def _gate_map(self, u: int) -> dict[int, tuple[int, int]]:
        slot_ptr = self.arrays[0]
        found: dict[int, tuple[int, int]] = {}
        for s in range(slot_ptr[u], slot_ptr[u + 1]):
            for x in sorted(self.gate.contribution(s, self.crit, self.arrays)):
                if x not in found:
                    found[x] = (s, self.gate.witness(s, x, self.crit, self.arrays))
        return found

    def chain(self, target: int, x: int) -> tuple[list[int], list[int]]:
        units, slots = [target], []
        seen = {target}
        u = target
        while u != x:
            s, p = self._step(u, x)
            if p in seen:
                if self.gate is not None:
                    return _plain_chain(self.proj, self.crit, target, x, self.gate)
                return explain_critical(self.proj, self.crit, target, x, known=self._known(x))
            units.append(p)
            slots.append(s)
            seen.add(p)
            u = p
        return units, slots
