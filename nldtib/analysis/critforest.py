"""Crit sets stored as a forest with extras: linear memory on deep chains, shared sets in cycles.

Every crit set is kept as ``crit(v) = extra(v) ∪ crit(base(v))``, where ``base(v)`` is a unit
that is in ``crit(v)`` at the least fixpoint (so ``crit(base(v)) ⊆ crit(v)``, crit being
transitive), and the base pointers form a forest. A sole-source chain of depth ``d`` is then
``d`` pointers and ``d`` one-element extras, not ``d²/2`` set members, and every member of a
loop of sole sources shares the set of one representative.

- The contribution of a slot with providers ``p1..pk`` is ``⋂ crit(pj) = crit(a) ∪ ⋂ seg(pj, a)``,
  ``a`` the providers' lowest common ancestor in the forest and ``seg(p, a)`` the extras on the
  path from ``p`` up to ``a`` (exclusive): the shared part is taken by reference, only the
  differences are intersected. A sole provider contributes ``crit(p)`` by reference.
- An acyclic unit takes as its base the contribution anchor with the largest set; the other
  contributions' differences (and the unit itself) are its extras.
- Inside a strongly connected component the bases are fixed first: members of a loop of sole
  sources (an SCC of the sole-provider graph) point to one representative, which points to a
  sole provider further on. Then the extras are iterated upwards from ``{v}`` to the least
  fixpoint with a worklist: a unit is recomputed only when an extra it read has grown. Adding
  ``crit(v) ⊇ crit(base(v))`` does not change the least fixpoint, because it holds there.

Membership queries after solving use an Euler tour of the forest (``x ∈ crit(v)`` iff an owner
of ``x``, a unit whose extra holds ``x``, is an ancestor of ``v``), or walk ``v``'s path when
that is shorter. Cost: O(E · d̄) for the solve, d̄ the mean length of the walks between a unit's
providers and their common ancestor, which is small unless sole-source chains are long and
branch (then the differences are copied, as a flat set would be).
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Iterator

import numpy as np

from ..projection import Projection

__all__ = ["CritForest", "CritView", "solve_forest"]

_EMPTY: frozenset[int] = frozenset()
_REANCHOR = 8  # an intersection left with more members than this is re-anchored on its largest


class CritView:
    """``crit(v)`` as a read-only set: ``x in view``, ``len``, iteration (members materialised once)."""

    __slots__ = ("forest", "v")

    def __init__(self, forest: CritForest, v: int) -> None:
        self.forest, self.v = forest, v

    def __contains__(self, x: object) -> bool:
        try:
            return self.forest.contains(self.v, operator.index(x))  # type: ignore[arg-type]
        except TypeError:
            return False

    def __iter__(self) -> Iterator[int]:
        return iter(self.forest.members(self.v))

    def __len__(self) -> int:
        return len(self.forest.members(self.v))

    def __and__(self, other) -> frozenset[int]:
        return self.forest.members(self.v) & frozenset(other)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CritView | frozenset | set):
            return self.forest.members(self.v) == frozenset(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CritView({sorted(self)})"


class CritForest:
    """The crit sets of a projection's units (see the module docstring); ``forest[v]`` is a
    :class:`CritView`, or None for a unit outside the solved closure."""

    def __init__(self, n: int) -> None:
        self.base = [-1] * n
        self.depth = [0] * n
        self.extra: list[frozenset[int] | None] = [None] * n
        self.size = [0] * n  # an upper bound of |crit(v)| (extras may repeat an ancestor's member)
        self._members: dict[int, frozenset[int]] = {}
        self._index: tuple[list[int], list[int], list[int], list[int]] | None = None

    def __getitem__(self, v: int) -> CritView | None:
        return None if self.extra[v] is None else CritView(self, v)

    def __len__(self) -> int:
        return len(self.extra)

    def path(self, v: int) -> Iterator[int]:
        """``v``, its base, its base's base, ... (iterative)."""
        base = self.base
        while v >= 0:
            yield v
            v = base[v]

    def members(self, v: int, keep: bool = True) -> frozenset[int]:
        """``crit(v)`` as a frozenset, kept with ``keep`` (targets: their sets are the answer)."""
        found = self._members.get(v)
        if found is None:
            acc: set[int] = set()
            for w in self.path(v):
                acc |= self.extra[w]  # type: ignore[arg-type]
            found = frozenset(acc)
            if keep:
                self._members[v] = found
        return found

    def _build_index(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """Euler-tour numbers of the forest and, per unit, the units whose extra holds it."""
        n = len(self.extra)
        base = np.asarray(self.base, dtype=np.int64)
        solved = np.fromiter((e is not None for e in self.extra), dtype=bool, count=n)
        child_of = np.flatnonzero(solved & (base >= 0))
        order = np.argsort(base[child_of], kind="stable")
        kids = child_of[order]
        kid_ptr = np.searchsorted(base[kids], np.arange(n + 1))
        kid_ptr_l, kids_l = kid_ptr.tolist(), kids.tolist()
        pre = [0] * n
        post = [0] * n
        clock = 0
        for root in np.flatnonzero(solved & (base < 0)).tolist():
            stack = [(root, kid_ptr_l[root])]
            pre[root] = clock
            clock += 1
            while stack:
                v, i = stack[-1]
                if i < kid_ptr_l[v + 1]:
                    stack[-1] = (v, i + 1)
                    w = kids_l[i]
                    pre[w] = clock
                    clock += 1
                    stack.append((w, kid_ptr_l[w]))
                else:
                    post[v] = clock
                    stack.pop()
        sizes = np.fromiter((len(e) if e is not None else 0 for e in self.extra), dtype=np.int64, count=n)
        elem = np.fromiter((x for e in self.extra if e for x in e), dtype=np.int64, count=int(sizes.sum()))
        owner = np.repeat(np.arange(n, dtype=np.int64), sizes)
        by_elem = np.argsort(elem, kind="stable")
        own = owner[by_elem]
        own_ptr = np.searchsorted(elem[by_elem], np.arange(n + 1))
        self._index = (pre, post, own_ptr.tolist(), own.tolist())
        return self._index

    def contains(self, v: int, x: int) -> bool:
        """Whether ``x ∈ crit(v)``: O(min(owners of x, depth of v))."""
        if x == v:
            return True
        found = self._members.get(v)
        if found is not None:
            return x in found
        pre, post, own_ptr, own = self._index if self._index is not None else self._build_index()
        if not 0 <= x < len(own_ptr) - 1:
            return False
        a, b = own_ptr[x], own_ptr[x + 1]
        if b - a <= self.depth[v] + 1:
            pv, qv = pre[v], post[v]
            return any(pre[w] <= pv and post[w] >= qv for w in own[a:b])
        extra = self.extra
        return any(x in extra[w] for w in self.path(v))  # type: ignore[operator]


class _Solver:
    def __init__(self, proj: Projection, forest: CritForest) -> None:
        self.slot_ptr, self.prov_ptr, self.prov, _ = proj.py_arrays()
        self.f = forest
        self.jump = [-1] * proj.n  # Myers' skew-binary jump pointers: O(log) ancestors

    def place(self, v: int, b: int) -> None:
        """Hang ``v`` under base ``b`` (-1: a root), with its skew-binary jump pointer."""
        f = self.f
        f.base[v] = b
        if b < 0:
            f.depth[v], self.jump[v] = 0, v
            return
        depth, jump = f.depth, self.jump
        depth[v] = depth[b] + 1
        jb = jump[b]
        self.jump[v] = jump[jb] if depth[b] - depth[jb] == depth[jb] - depth[jump[jb]] else b

    def lca(self, a: int, b: int) -> int:
        """Lowest common ancestor in the forest, -1 if none (either may be -1). O(log depth)."""
        if a < 0 or b < 0:
            return -1
        base, depth, jump = self.f.base, self.f.depth, self.jump
        if depth[a] < depth[b]:
            a, b = b, a
        d = depth[b]
        while depth[a] > d:
            j = jump[a]
            a = j if depth[j] >= d else base[a]
        while a != b:
            if depth[a] == 0:
                return -1
            ja, jb = jump[a], jump[b]
            if ja != jb:
                a, b = ja, jb
            else:
                a, b = base[a], base[b]
        return a

    def seg(self, a: int, stop: int, reads: list[int] | None) -> frozenset[int] | set[int]:
        """The extras on the path from ``a`` up to ``stop`` (exclusive; -1: to the root)."""
        base, extra = self.f.base, self.f.extra
        if a == stop:
            return _EMPTY
        if base[a] == stop:
            if reads is not None:
                reads.append(a)
            return extra[a]  # type: ignore[return-value]
        acc: set[int] = set()
        while a != stop:
            if reads is not None:
                reads.append(a)
            acc |= extra[a]  # type: ignore[arg-type]
            a = base[a]
        return acc

    def contributions(self, v: int, reads: list[int] | None) -> list[tuple[int, frozenset[int] | set[int]]]:
        """Per slot with providers: ``(anchor, rest)`` with contribution ``crit(anchor) ∪ rest``."""
        prov_ptr, prov = self.prov_ptr, self.prov
        out = []
        for s in range(self.slot_ptr[v], self.slot_ptr[v + 1]):
            a0, b0 = prov_ptr[s], prov_ptr[s + 1]
            if a0 == b0:
                continue  # coverage gap: nothing known can disrupt it
            if b0 - a0 == 1:
                out.append((prov[a0], _EMPTY))
                continue
            ps = prov[a0:b0]
            anchor = ps[0]
            for p in ps[1:]:
                anchor = self.lca(anchor, p)
                if anchor < 0:
                    break
            segs = sorted((self.seg(p, anchor, reads) for p in ps), key=len)
            rest = segs[0]
            for other in segs[1:]:
                if not rest:
                    break
                rest = rest & other
            if len(rest) > _REANCHOR:
                # A member of the intersection brings its whole crit set (crit is transitive): take
                # the largest by reference and keep only what it lacks.
                size = self.f.size
                x = max(rest, key=size.__getitem__)
                if size[x] > (size[anchor] if anchor >= 0 else 0):
                    rest = set(rest)
                    self.drop_known(rest, x)
                    out.append((x, _EMPTY))
            out.append((anchor, rest))
        return out

    def extras(self, v: int, b: int, contribs, reads: list[int] | None) -> frozenset[int]:
        """``{v}`` and what the contributions add to the current ``crit(b)``."""
        acc: set[int] = set()
        for a, rest in contribs:
            if a >= 0 and a != b:
                acc |= self.seg(a, self.lca(a, b), reads)
            if rest:
                acc |= rest
        acc.discard(v)
        self.drop_known(acc, b)
        acc.add(v)
        return frozenset(acc)

    def drop_known(self, acc: set[int], b: int) -> None:
        """Remove from ``acc`` the members of ``crit(b)``: extras stay disjoint along a path, so
        the forest holds each member once. O(depth of ``b``), only while ``acc`` is not empty."""
        base, extra = self.f.base, self.f.extra
        while b >= 0 and acc:
            acc.difference_update(extra[b])  # type: ignore[arg-type]
            b = base[b]

    def acyclic(self, v: int) -> None:
        f = self.f
        contribs = self.contributions(v, None)
        b, best = -1, -1
        for a, _ in contribs:
            if a >= 0 and f.size[a] > best:
                b, best = a, f.size[a]
        self.place(v, b)
        f.extra[v] = self.extras(v, b, contribs, None)
        f.size[v] = (f.size[b] if b >= 0 else 0) + len(f.extra[v])  # type: ignore[arg-type]

    def cyclic(self, comp: list[int]) -> None:
        f = self.f
        slot_ptr, prov_ptr, prov = self.slot_ptr, self.prov_ptr, self.prov
        members = set(comp)
        sole_in: dict[int, list[int]] = {v: [] for v in comp}  # sole providers inside the component
        sole_out: dict[int, list[int]] = {v: [] for v in comp}
        for v in comp:
            for s in range(slot_ptr[v], slot_ptr[v + 1]):
                a0, b0 = prov_ptr[s], prov_ptr[s + 1]
                if b0 - a0 == 1 and prov[a0] != v:
                    (sole_in if prov[a0] in members else sole_out)[v].append(prov[a0])
        # Bases: loops of sole sources share one representative; representatives point on, along
        # a sole provider in the component (already placed: Tarjan emits successors first), or
        # else outside it (the largest set). Every base is a sole source, so it is in crit(v).
        for group in _tarjan(comp, sole_in):
            rep, in_group = group[0], set(group)
            inside = [p for u in group for p in sole_in[u] if p not in in_group]
            outside = [p for u in group for p in sole_out[u]]
            if inside:
                b = max(inside, key=lambda p: (f.depth[p], -p))
            elif outside:
                b = max(outside, key=lambda p: (f.size[p], -p))
            else:
                b = -1
            self.place(rep, b)
            for u in group[1:]:
                self.place(u, rep)
        for v in comp:
            f.extra[v] = frozenset((v,))
        readers: dict[int, set[int]] = {}
        queue = deque(comp)
        queued = set(comp)
        while queue:
            v = queue.popleft()
            queued.discard(v)
            reads: list[int] = []
            value = self.extras(v, f.base[v], self.contributions(v, reads), reads)
            for w in reads:
                if w in members:
                    readers.setdefault(w, set()).add(v)
            if value != f.extra[v]:
                f.extra[v] = value
                for u in readers.get(v, ()):
                    if u not in queued:
                        queued.add(u)
                        queue.append(u)
        for v in _by_depth(comp, f.depth):  # drop what a base gained later; sizes, bases first
            b = f.base[v]
            own = set(f.extra[v])  # type: ignore[arg-type]
            own.discard(v)
            self.drop_known(own, b)
            own.add(v)
            f.extra[v] = frozenset(own)
            f.size[v] = len(f.extra[v]) + (f.size[b] if b >= 0 else 0)  # type: ignore[arg-type]
        self.rebase(comp)

    def rebase(self, comp: list[int]) -> None:
        """Hang a member with a large extra under the largest unit of that extra instead.

        The bases of a cycle are fixed before its sets are known, so a member without a sole
        provider in it keeps the whole shared core of the cycle as its extra. Any member ``x`` of
        ``crit(v)`` is a valid base (``crit(x) ⊆ crit(v)``); the sets stay the same, only how
        they are shared changes. A new base never lies below ``v`` (no loop in the forest).
        """
        f = self.f
        moved = False
        for v in sorted(comp, key=lambda u: -len(f.extra[u])):  # type: ignore[arg-type]
            own = f.extra[v]
            if len(own) <= _REANCHOR:  # type: ignore[arg-type]
                break
            x = max((u for u in own if u != v), key=f.size.__getitem__)  # type: ignore[union-attr]
            if f.size[x] <= (f.size[f.base[v]] if f.base[v] >= 0 else 0) or v in f.path(x):
                continue
            full = set(f.members(v))
            del f._members[v]
            full.discard(v)
            self.drop_known(full, x)
            full.add(v)
            f.base[v], f.extra[v] = x, frozenset(full)
            moved = True
        if moved:  # depths, jump pointers and sizes again, bases first
            placed: set[int] = set()
            members = set(comp)
            for v in comp:
                todo = []
                u = v
                while u >= 0 and u in members and u not in placed:
                    todo.append(u)
                    u = f.base[u]
                for u in reversed(todo):
                    self.place(u, f.base[u])
                    b = f.base[u]
                    f.size[u] = len(f.extra[u]) + (f.size[b] if b >= 0 else 0)  # type: ignore[arg-type]
                    placed.add(u)


def _by_depth(comp: list[int], depth: list[int]) -> list[int]:
    return sorted(comp, key=depth.__getitem__)


def _tarjan(nodes: list[int], succ: dict[int, list[int]]) -> list[list[int]]:
    """SCCs of ``succ`` restricted to ``nodes``, successors first (iterative Tarjan)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: list[list[int]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            nxt = succ[v]
            if i < len(nxt):
                work[-1] = (v, i + 1)
                w = nxt[i]
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, 0))
                elif w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
                continue
            work.pop()
            if work and low[v] < low[work[-1][0]]:
                low[work[-1][0]] = low[v]
            if low[v] == index[v]:
                group = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.append(w)
                    if w == v:
                        break
                out.append(sorted(group))
    return out


def solve_forest(proj: Projection, comps: list[list[int]]) -> CritForest:
    """Crit sets of every unit of ``comps`` (strongly connected components, providers first)."""
    forest = CritForest(proj.n)
    solver = _Solver(proj, forest)
    loops = proj.self_loops()
    for comp in comps:
        if len(comp) == 1 and comp[0] not in loops:
            solver.acyclic(comp[0])
        else:
            solver.cyclic(comp)
    return forest
