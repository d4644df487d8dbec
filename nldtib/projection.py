"""The analysis projection: a compact, read-only supply graph built once from a dataset.

Every analysis works on these integer arrays instead of walking Python dicts per edge. The
semantics are those of docs/architecture.md, "Supply semantics":

- *Nodes* are the dataset nodes with the labels Country, Item, Material, Organisation and
  Programme, indexed ``0..N-1`` **in Python string order of their ids**, so "smallest index" is
  "smallest id" (the deterministic tie-break rule of ``deps``).
- *Units* are the nodes that can fail: every node except Items.
- *Slots* (requirement slots) belong to units, stored contiguously per owner (CSR ``slot_ptr``):
  item slots (kind 0, one per distinct item received or required), material slots (kind 1, one per
  material used), the location slot (kind 2, provider: the country) and, for every Material, the
  production slot (kind 3, providers: the producing countries).
- *Providers* of each slot are in CSR ``prov_ptr``/``prov`` (sorted, no duplicates); the reverse,
  the slots each unit serves, in ``serve_ptr``/``serve``.
- The raw supply relationships are kept as ``dep_*`` arrays (one row per relationship, from the
  dependent node to the node it depends on) for the graph-level ``deps`` traversal.

Build cost is one Python pass over the relationship list plus numpy sorting: O(N + E log E).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .perf import gc_paused
from .dataset.records import Dataset

__all__ = [
    "Projection", "build_projection", "LABELS", "SLOT_KINDS", "DEP_TYPES",
    "ITEM", "MATERIAL", "LOCATION", "PRODUCTION",
]

LABELS = ("Country", "Item", "Material", "Organisation", "Programme")
SLOT_KINDS = ("item", "material", "location", "production")
ITEM, MATERIAL, LOCATION, PRODUCTION = range(4)
# Relationship types of the supply graph, in Python string order (so the smallest code is the
# smallest type name, as the deps tie-break rule needs).
DEP_TYPES = ("LOCATED_IN", "PRODUCES", "REQUIRES", "SUPPLIES", "USES_MATERIAL")
_LABEL_CODE = {label: i for i, label in enumerate(LABELS)}
_COUNTRY, _ITEM, _MATERIAL, _ORGANISATION, _PROGRAMME = range(5)


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


@dataclass(frozen=True, eq=False)
class Projection:
    """The read-only analysis graph. Build it with :func:`build_projection`."""

    ids: list[str]
    index: dict[str, int]
    label: np.ndarray          # int8 code into LABELS, per node
    is_unit: np.ndarray        # bool, per node
    country: np.ndarray        # int32 node index of the LOCATED_IN country, -1 if none
    eu: np.ndarray             # bool per node (True only for EU countries)
    nato: np.ndarray           # bool per node (True only for NATO countries)
    slot_ptr: np.ndarray       # int64 CSR: node -> its slots
    slot_owner: np.ndarray     # int32 per slot
    slot_kind: np.ndarray      # int8 per slot, into SLOT_KINDS
    slot_ref: np.ndarray       # int32 per slot: the item (item slots) or material (material slots), else -1
    prov_ptr: np.ndarray       # int64 CSR: slot -> providers
    prov: np.ndarray           # int32 provider node indices, sorted within each slot
    serve_ptr: np.ndarray      # int64 CSR: provider -> slots it serves
    serve: np.ndarray          # int32 slot indices
    dep_src: np.ndarray        # int32: the dependent node of each supply relationship
    dep_dst: np.ndarray        # int32: the node it depends on
    dep_type: np.ndarray       # int8 into DEP_TYPES
    dep_item: np.ndarray       # int32 item node index (SUPPLIES only), else -1
    produces: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # country, material, stage (0 extraction, 1 processing), share_pct (NaN unknown)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def n_slots(self) -> int:
        return len(self.slot_owner)

    def n_providers(self) -> np.ndarray:
        """Number of providers of every slot."""
        if "nprov" not in self._cache:
            arr = np.diff(self.prov_ptr).astype(np.int32)
            _frozen(arr)
            self._cache["nprov"] = arr
        return self._cache["nprov"]

    def providers(self, slot: int) -> np.ndarray:
        return self.prov[self.prov_ptr[slot]:self.prov_ptr[slot + 1]]

    def slots(self, node: int) -> range:
        return range(int(self.slot_ptr[node]), int(self.slot_ptr[node + 1]))

    def label_of(self, node: int) -> str:
        return LABELS[self.label[node]]

    def slot_name(self, slot: int) -> str:
        """``item:<id>``, ``material:<id>``, ``location`` or ``production``."""
        kind = SLOT_KINDS[self.slot_kind[slot]]
        ref = int(self.slot_ref[slot])
        return f"{kind}:{self.ids[ref]}" if ref >= 0 else kind

    def nodes_with(self, label: str) -> np.ndarray:
        return np.flatnonzero(self.label == _LABEL_CODE[label]).astype(np.int32)

    def upstream_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Unit-level dependency CSR (consumer -> distinct providers of its slots), cached."""
        if "up" not in self._cache:
            owner = np.repeat(self.slot_owner, np.diff(self.prov_ptr))
            key = _unique(owner.astype(np.int64) * self.n + self.prov)
            src, dst = (key // self.n).astype(np.int32), (key % self.n).astype(np.int32)
            ptr = _csr(src, self.n)
            _frozen(ptr, dst)
            self._cache["up"] = (ptr, dst)
        return self._cache["up"]

    def downstream_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Unit-level reverse CSR (provider -> distinct consumers), cached."""
        if "down" not in self._cache:
            ptr, dst = self.upstream_edges()
            src = np.repeat(np.arange(self.n, dtype=np.int32), np.diff(ptr))
            order = np.lexsort((src, dst))
            rptr = _csr(dst[order], self.n)
            rdst = src[order]
            _frozen(rptr, rdst)
            self._cache["down"] = (rptr, rdst)
        return self._cache["down"]


def build_projection(dataset: Dataset) -> Projection:
    """Build the analysis projection of ``dataset`` (already filtered by sensitivity)."""
    with gc_paused():
        return _build(dataset)


def _build(dataset: Dataset) -> Projection:
    nodes = dataset.nodes
    ids = sorted(i for i, nd in nodes.items() if nd.label in _LABEL_CODE)
    index = {node_id: i for i, node_id in enumerate(ids)}
    n = len(ids)
    label = np.fromiter((_LABEL_CODE[nodes[i].label] for i in ids), dtype=np.int8, count=n)
    eu = np.zeros(n, dtype=bool)
    nato = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(label == _COUNTRY):
        props = nodes[ids[i]].props
        eu[i] = bool(props.get("eu", False))
        nato[i] = bool(props.get("nato", False))

    # One pass over the relationships: the supply ones, as index lists per type.
    type_code = {t: c for c, t in enumerate(DEP_TYPES)}
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
        if code == 3:      # SUPPLIES
            it = get(r.props.get("item"))
            item_l.append(-1 if it is None else it)
        else:
            item_l.append(-1)
            if code == 1:  # PRODUCES
                p_country.append(s)
                p_material.append(d)
                p_stage.append(1 if r.props.get("stage") == "processing" else 0)
                p_share.append(float(r.props.get("share_pct", np.nan)))
    rsrc = np.asarray(src_l, dtype=np.int64)
    rdst = np.asarray(dst_l, dtype=np.int64)
    rtyp = np.asarray(typ_l, dtype=np.int8)
    ritem = np.asarray(item_l, dtype=np.int64)
    del src_l, dst_l, typ_l, item_l

    # Dependency orientation: dependent -> dependency.
    # SUPPLIES u->v: v depends on u; PRODUCES c->m: m depends on c; the others point at the dependency.
    flip = (rtyp == 3) | (rtyp == 1)
    dep_src = np.where(flip, rdst, rsrc)
    dep_dst = np.where(flip, rsrc, rdst)
    order = np.lexsort((ritem, rtyp, dep_dst, dep_src))
    dep = (dep_src[order].astype(np.int32), dep_dst[order].astype(np.int32), rtyp[order], ritem[order].astype(np.int32))

    # Slots, keyed (owner, kind, ref + 1) as one int64; provider edges as (slot key, provider).
    big = np.int64(n + 1)

    def key(owner, kind, ref):
        return (owner * 4 + kind) * big + (ref + 1)

    sup, req, use, loc = rtyp == 3, rtyp == 2, rtyp == 4, rtyp == 0
    materials = np.flatnonzero(label == _MATERIAL).astype(np.int64)
    pc = np.asarray(p_country, dtype=np.int64)
    pm = np.asarray(p_material, dtype=np.int64)
    minus = lambda a: np.full(len(a), -1, dtype=np.int64)  # noqa: E731
    edge_keys = np.concatenate([
        key(rdst[sup], ITEM, ritem[sup]),
        key(rsrc[use], MATERIAL, rdst[use]),
        key(rsrc[loc], LOCATION, minus(rsrc[loc])),
        key(pm, PRODUCTION, minus(pm)),
    ])
    edge_prov = np.concatenate([rsrc[sup], rdst[use], rdst[loc], pc])
    slot_keys = _unique(np.concatenate([
        edge_keys,
        key(rsrc[req], ITEM, rdst[req]),
        key(materials, PRODUCTION, minus(materials)),
    ]))
    slot_ref = (slot_keys % big - 1).astype(np.int32)
    slot_kind = ((slot_keys // big) % 4).astype(np.int8)
    slot_owner = (slot_keys // big // 4).astype(np.int32)
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
    country[rsrc[loc]] = rdst[loc]
    produces = (pc.astype(np.int32), pm.astype(np.int32), np.asarray(p_stage, dtype=np.int8),
                np.asarray(p_share, dtype=np.float64))
    arrays = [label, eu, nato, country, slot_ptr, slot_owner, slot_kind, slot_ref, prov_ptr, e_prov,
              serve_ptr, serve, *dep, *produces]
    is_unit = label != _ITEM
    _frozen(is_unit, *arrays)
    return Projection(
        ids=ids, index=index, label=label, is_unit=is_unit, country=country, eu=eu, nato=nato,
        slot_ptr=slot_ptr, slot_owner=slot_owner, slot_kind=slot_kind, slot_ref=slot_ref,
        prov_ptr=prov_ptr, prov=e_prov, serve_ptr=serve_ptr, serve=serve,
        dep_src=dep[0], dep_dst=dep[1], dep_type=dep[2], dep_item=dep[3], produces=produces,
    )
