"""The analysis projection: a compact, read-only supply graph built once from a dataset.

Every analysis works on these integer arrays instead of walking Python dicts per edge. The
semantics are those of docs/architecture.md, "Supply semantics", and which relationship feeds
which slot is read from the ``supply`` roles of ``schema/schema.yaml``, never hard-coded:

- *Nodes* are the dataset nodes whose labels take part in a supply relationship type, indexed
  ``0..N-1`` **in Python string order of their ids**, so "smallest index" is "smallest id" (the
  deterministic tie-break rule of ``deps``).
- *Units* are the nodes that can fail: every node with a label that can consume or provide a
  slot (so not Items, which only name slots).
- *Slots* (requirement slots) belong to units, stored contiguously per owner (CSR ``slot_ptr``),
  keyed by kind (:data:`~nldtib.schema.SLOT_KINDS`) and the node that names them (``slot_ref``).
- *Providers* of each slot are in CSR ``prov_ptr``/``prov`` (sorted, no duplicates); the reverse,
  the slots each unit serves, in ``serve_ptr``/``serve``.
- The raw supply relationships are kept as ``dep_*`` arrays (one row per relationship, from the
  dependent end to the other end) for the graph-level ``deps`` traversal.

The projection and every index derived from it are immutable, and only this module builds them
(cached per projection). Build cost is one Python pass over the relationships plus numpy
sorting: O(N + E log E).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .dataset.records import Dataset
from .perf import gc_paused
from .schema import SLOT_KINDS, Schema

__all__ = ["Projection", "build_projection", "SLOT_KINDS", "ITEM", "MATERIAL", "LOCATION", "PRODUCTION"]

ITEM, MATERIAL, LOCATION, PRODUCTION = (SLOT_KINDS.index(k) for k in ("item", "material", "location", "production"))


def _csr(keys: np.ndarray, n: int) -> np.ndarray:
    """Row pointers for ``keys`` that are already sorted, with ``n`` rows."""
    return np.searchsorted(keys, np.arange(n + 1)).astype(np.int64)


def _unique(a: np.ndarray) -> np.ndarray:
    """Sorted unique values (sort-based; faster than np.unique's hashing on large int arrays)."""
    s = np.sort(a)
    if len(s) == 0:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _frozen(*arrays: np.ndarray) -> None:
    for a in arrays:
        a.flags.writeable = False


def supply_labels(schema: Schema) -> tuple[tuple[str, ...], frozenset[str]]:
    """The labels of the supply graph (sorted) and, among them, the labels of units."""
    labels: set[str] = set()
    units: set[str] = set()
    for rel_type, role in schema.supply_types.items():
        rtype = schema.rel(rel_type)
        ends = {"from": rtype.sources, "to": rtype.targets}
        labels.update(rtype.sources, rtype.targets)
        units.update(ends[role.consumer])
        if role.provides:
            units.update(ends[role.provider])
    return tuple(sorted(labels)), frozenset(units)


@dataclass(frozen=True, eq=False)
class Projection:
    """The read-only analysis graph. Build it with :func:`build_projection`."""

    ids: list[str]
    index: dict[str, int]
    labels: tuple[str, ...]  # the label names, in code order
    label: np.ndarray  # int8 code into ``labels``, per node
    is_unit: np.ndarray  # bool, per node
    country: np.ndarray  # int32 node index of the location slot's provider, -1 if none
    eu: np.ndarray  # bool per node (True only for EU countries)
    nato: np.ndarray  # bool per node (True only for NATO countries)
    slot_ptr: np.ndarray  # int64 CSR: node -> its slots
    slot_owner: np.ndarray  # int32 per slot
    slot_kind: np.ndarray  # int8 per slot, into SLOT_KINDS
    slot_ref: np.ndarray  # int32 per slot: the node that names it (item, material), else -1
    prov_ptr: np.ndarray  # int64 CSR: slot -> providers
    prov: np.ndarray  # int32 provider node indices, sorted within each slot
    serve_ptr: np.ndarray  # int64 CSR: provider -> slots it serves
    serve: np.ndarray  # int32 slot indices
    dep_types: tuple[str, ...]  # the supply relationship types, in string order
    dep_src: np.ndarray  # int32: the dependent end of each supply relationship
    dep_dst: np.ndarray  # int32: the end it depends on
    dep_type: np.ndarray  # int8 into dep_types
    dep_item: np.ndarray  # int32 node naming the relationship's slot when a property names it, else -1
    produces: tuple[
        np.ndarray, np.ndarray, np.ndarray, np.ndarray
    ]  # country, material, stage (0 extraction, 1 processing), share_pct (NaN unknown)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ basics
    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def n_slots(self) -> int:
        return len(self.slot_owner)

    def providers(self, slot: int) -> np.ndarray:
        return self.prov[self.prov_ptr[slot] : self.prov_ptr[slot + 1]]

    def slots(self, node: int) -> range:
        return range(int(self.slot_ptr[node]), int(self.slot_ptr[node + 1]))

    def label_of(self, node: int) -> str:
        return self.labels[self.label[node]]

    def slot_name(self, slot: int) -> str:
        """``item:<id>``, ``material:<id>``, ``location`` or ``production``."""
        kind = SLOT_KINDS[self.slot_kind[slot]]
        ref = int(self.slot_ref[slot])
        return f"{kind}:{self.ids[ref]}" if ref >= 0 else kind

    def nodes_with(self, label: str) -> np.ndarray:
        if label not in self.labels:
            return np.zeros(0, dtype=np.int32)
        return np.flatnonzero(self.label == self.labels.index(label)).astype(np.int32)

    # ------------------------------------------------------------------ derived indices (built once)
    def _memo(self, key: str, build: Callable[[], Any]) -> Any:
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = build()
        return found

    def n_providers(self) -> np.ndarray:
        """Number of providers of every slot."""

        def build() -> np.ndarray:
            arr = np.diff(self.prov_ptr).astype(np.int32)
            _frozen(arr)
            return arr

        return self._memo("nprov", build)

    def upstream_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Unit-level dependency CSR (consumer -> distinct providers of its slots)."""

        def build() -> tuple[np.ndarray, np.ndarray]:
            owner = np.repeat(self.slot_owner, np.diff(self.prov_ptr))
            key = _unique(owner.astype(np.int64) * self.n + self.prov)
            src, dst = (key // self.n).astype(np.int32), (key % self.n).astype(np.int32)
            ptr = _csr(src, self.n)
            _frozen(ptr, dst)
            return ptr, dst

        return self._memo("up", build)

    def downstream_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Unit-level reverse CSR (provider -> distinct consumers)."""

        def build() -> tuple[np.ndarray, np.ndarray]:
            ptr, dst = self.upstream_edges()
            src = np.repeat(np.arange(self.n, dtype=np.int32), np.diff(ptr))
            order = np.lexsort((src, dst))
            rptr = _csr(dst[order], self.n)
            rdst = src[order]
            _frozen(rptr, rdst)
            return rptr, rdst

        return self._memo("down", build)

    def py_arrays(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """Plain Python lists of the slot and provider CSR (fast scalar access in the kernels)."""
        return self._memo(
            "py", lambda: (self.slot_ptr.tolist(), self.prov_ptr.tolist(), self.prov.tolist(), self.slot_owner.tolist())
        )

    def self_loops(self) -> frozenset[int]:
        """Units that provide to one of their own slots."""

        def build() -> frozenset[int]:
            ptr, dst = self.upstream_edges()
            src = np.repeat(np.arange(self.n), np.diff(ptr))
            return frozenset(src[src == dst].tolist())

        return self._memo("loops", build)

    def dep_adjacency(self, direction: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The ``deps`` traversal CSR: ``(ptr, neighbour, type, item)`` per node, ``up`` or ``down``.

        Within a node, rows are sorted by neighbour, type and item, so the first row of a
        neighbour is its smallest ``(type, item)``.
        """

        def build() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
            if direction == "up":
                src, dst, typ, item = self.dep_src, self.dep_dst, self.dep_type, self.dep_item
            else:
                order = np.lexsort((self.dep_item, self.dep_type, self.dep_src, self.dep_dst))
                src, dst = self.dep_dst[order], self.dep_src[order]
                typ, item = self.dep_type[order], self.dep_item[order]
            ptr = _csr(src, self.n)
            _frozen(ptr, dst, typ, item)
            return ptr, dst, typ, item

        return self._memo(f"deps-{direction}", build)


def build_projection(dataset: Dataset) -> Projection:
    """Build the analysis projection of ``dataset`` (the records the session selected)."""
    with gc_paused():
        return _build(dataset)


def _build(dataset: Dataset) -> Projection:
    schema = dataset.schema
    nodes = dataset.nodes
    labels, unit_labels = supply_labels(schema)
    label_code = {label: i for i, label in enumerate(labels)}
    ids = sorted(i for i, nd in nodes.items() if nd.label in label_code)
    index = {node_id: i for i, node_id in enumerate(ids)}
    n = len(ids)
    label = np.fromiter((label_code[nodes[i].label] for i in ids), dtype=np.int8, count=n)
    eu = np.zeros(n, dtype=bool)
    nato = np.zeros(n, dtype=bool)
    if "Country" in label_code:
        for i in np.flatnonzero(label == label_code["Country"]):
            props = nodes[ids[i]].props
            eu[i] = bool(props.get("eu", False))
            nato[i] = bool(props.get("nato", False))

    roles = schema.supply_types
    dep_types = tuple(sorted(roles))
    type_code = {t: c for c, t in enumerate(dep_types)}
    # What names each type's slot: a property (resolved to a node index) or an end.
    ref_prop = {t: (r.ref if r.ref not in (None, "from", "to") else None) for t, r in roles.items()}
    production = [t for t, r in roles.items() if r.slot == "production"]

    # One pass over the relationships: the supply ones, as index lists.
    src_l: list[int] = []
    dst_l: list[int] = []
    typ_l: list[int] = []
    item_l: list[int] = []
    p_country: list[int] = []
    p_material: list[int] = []
    p_stage: list[int] = []
    p_share: list[float] = []
    get = index.get
    for r in dataset.rels:
        code = type_code.get(r.type)
        if code is None:
            continue
        s, d = get(r.src), get(r.dst)
        if s is None or d is None:
            continue
        src_l.append(s)
        dst_l.append(d)
        typ_l.append(code)
        prop = ref_prop[r.type]
        if prop is not None:
            it = get(r.props.get(prop))
            item_l.append(-1 if it is None else it)
        else:
            item_l.append(-1)
        if r.type in production:
            p_country.append(s)
            p_material.append(d)
            p_stage.append(1 if r.props.get("stage") == "processing" else 0)
            p_share.append(float(r.props.get("share_pct", np.nan)))
    rsrc = np.asarray(src_l, dtype=np.int64)
    rdst = np.asarray(dst_l, dtype=np.int64)
    rtyp = np.asarray(typ_l, dtype=np.int8)
    ritem = np.asarray(item_l, dtype=np.int64)
    del src_l, dst_l, typ_l, item_l

    # Per relationship: its consumer, the other end, the slot kind and the node naming the slot.
    consumer_is_dst = np.zeros(len(dep_types), dtype=bool)
    kind_of = np.zeros(len(dep_types), dtype=np.int64)
    provides = np.zeros(len(dep_types), dtype=bool)
    ref_end = np.zeros(len(dep_types), dtype=np.int8)  # 0: none / property, 1: from, 2: to
    for t, role in roles.items():
        c = type_code[t]
        consumer_is_dst[c] = role.consumer == "to"
        kind_of[c] = SLOT_KINDS.index(role.slot)
        provides[c] = role.provides
        ref_end[c] = {"from": 1, "to": 2}.get(role.ref or "", 0)
    flip = consumer_is_dst[rtyp]
    consumer = np.where(flip, rdst, rsrc)
    other = np.where(flip, rsrc, rdst)
    slot_ref = np.where(ref_end[rtyp] == 1, rsrc, np.where(ref_end[rtyp] == 2, rdst, ritem))  # ritem: -1 if none
    kinds = kind_of[rtyp]

    # Dependency orientation for deps: dependent (consumer) -> the other end.
    order = np.lexsort((ritem, rtyp, other, consumer))
    dep = (consumer[order].astype(np.int32), other[order].astype(np.int32), rtyp[order], ritem[order].astype(np.int32))

    # Slots, keyed (owner, kind, ref + 1) as one int64; provider edges as (slot key, provider).
    big = np.int64(n + 1)
    n_kinds = len(SLOT_KINDS)

    def key(owner, kind, ref):
        return (owner * n_kinds + kind) * big + (ref + 1)

    gives = provides[rtyp]
    edge_keys = key(consumer[gives], kinds[gives], slot_ref[gives])
    edge_prov = other[gives]
    always = []
    for t, role in roles.items():
        if role.always:
            rtype = schema.rel(t)
            for lab in rtype.targets if role.consumer == "to" else rtype.sources:
                if lab in label_code:
                    owners = np.flatnonzero(label == label_code[lab]).astype(np.int64)
                    always.append(key(owners, SLOT_KINDS.index(role.slot), np.full(len(owners), -1, dtype=np.int64)))
    slot_keys = _unique(np.concatenate([key(consumer, kinds, slot_ref), *always]))
    slot_ref_arr = (slot_keys % big - 1).astype(np.int32)
    slot_kind = ((slot_keys // big) % n_kinds).astype(np.int8)
    slot_owner = (slot_keys // big // n_kinds).astype(np.int32)
    edge_slot = np.searchsorted(slot_keys, edge_keys)
    pairs = _unique(edge_slot * big + edge_prov)
    e_slot = (pairs // big).astype(np.int32)
    e_prov = (pairs % big).astype(np.int32)
    n_slots = len(slot_keys)
    prov_ptr = _csr(e_slot, n_slots)
    slot_ptr = _csr(slot_owner, n)
    rorder = np.lexsort((e_slot, e_prov))
    serve = e_slot[rorder]
    serve_ptr = _csr(e_prov[rorder], n)

    country = np.full(n, -1, dtype=np.int32)
    loc = gives & (kinds == LOCATION)
    country[consumer[loc]] = other[loc]
    produces = (
        np.asarray(p_country, dtype=np.int32),
        np.asarray(p_material, dtype=np.int32),
        np.asarray(p_stage, dtype=np.int8),
        np.asarray(p_share, dtype=np.float64),
    )
    is_unit = np.isin(label, [label_code[lab] for lab in unit_labels if lab in label_code])
    arrays = [
        label,
        eu,
        nato,
        country,
        slot_ptr,
        slot_owner,
        slot_kind,
        slot_ref_arr,
        prov_ptr,
        e_prov,
        serve_ptr,
        serve,
        *dep,
        *produces,
        is_unit,
    ]
    _frozen(*arrays)
    return Projection(
        ids=ids,
        index=index,
        labels=labels,
        label=label,
        is_unit=is_unit,
        country=country,
        eu=eu,
        nato=nato,
        slot_ptr=slot_ptr,
        slot_owner=slot_owner,
        slot_kind=slot_kind,
        slot_ref=slot_ref_arr,
        prov_ptr=prov_ptr,
        prov=e_prov,
        serve_ptr=serve_ptr,
        serve=serve,
        dep_types=dep_types,
        dep_src=dep[0],
        dep_dst=dep[1],
        dep_type=dep[2],
        dep_item=dep[3],
        produces=produces,
    )
