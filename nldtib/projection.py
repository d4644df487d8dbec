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
- A slot named by an enum property (PRODUCES ``stage``) has one slot per value that has
  providers (``production:extraction``, ``production:processing``); an ``always`` slot kind gives
  an owner without any such slot one unnamed coverage-gap slot (``production``).
- Per provider edge: the provider's recorded share of the slot (``prov_share``, in hundredths of a
  percent, -1 when unknown), and what the edge rests on: the weakest confidence
  (``prov_conf``) and the oldest ``as_of`` (``prov_asof``) of the relationships behind it. The
  same per node in ``node_conf`` and ``node_asof``. Dates are ints ``YYYYMMDD``; unknown is
  :data:`NO_DATE`.
- The raw supply relationships are kept as ``dep_*`` arrays (one row per relationship, from the
  dependent end to the other end) for the graph-level ``deps`` traversal.
- Bloc memberships (``Country -MEMBER_OF-> Bloc``, as selected, so valid on the session's
  ``as_of``) in ``blocs``; ``allied`` marks the members of the EU or NATO.

The projection and every index derived from it are immutable, and only this module builds them
(cached per projection). It is built from the dataset's columns (node indices, reference and
property columns; each distinct level or date is converted once), with no Python loop over the
relationships: O(N + E log E), in numpy sorting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .dataset.classification import confidence_rank, date_key
from .dataset.records import Dataset
from .dataset.tables import per_value
from .perf import gc_paused
from .schema import SLOT_KINDS, Schema

__all__ = [
    "Projection",
    "build_projection",
    "SLOT_KINDS",
    "ITEM",
    "MATERIAL",
    "LOCATION",
    "PRODUCTION",
    "NO_DATE",
    "ALLIED_BLOCS",
    "date_int",
    "date_str",
]

ITEM, MATERIAL, LOCATION, PRODUCTION = (SLOT_KINDS.index(k) for k in ("item", "material", "location", "production"))
NO_DATE = 99999999  # as_of unknown: sorts after every date
ALLIED_BLOCS = ("eu", "nato")  # "allied" (the non_eu_nato figures): a member of either


def date_int(value: str | None) -> int:
    """``YYYYMMDD`` of a (partial) ISO date, :data:`NO_DATE` for None.

    >>> date_int("2023"), date_int("2021-06-30"), date_int(None) == NO_DATE
    (20230101, 20210630, True)
    """
    return NO_DATE if not value else int(date_key(value).replace("-", ""))


def date_str(value: int) -> str | None:
    """The ISO date of a :func:`date_int` (None for :data:`NO_DATE`)."""
    return None if value >= NO_DATE else f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


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
    blocs: dict[str, frozenset[int]]  # bloc id -> its member countries (node indices)
    allied: np.ndarray  # bool per node: a member of a bloc of ALLIED_BLOCS
    node_conf: np.ndarray  # int8 confidence rank per node (0 reported .. 2 illustrative)
    node_asof: np.ndarray  # int32 as_of per node (YYYYMMDD, NO_DATE unknown)
    slot_ptr: np.ndarray  # int64 CSR: node -> its slots
    slot_owner: np.ndarray  # int32 per slot
    slot_kind: np.ndarray  # int8 per slot, into SLOT_KINDS
    slot_ref: np.ndarray  # int32 per slot: the node that names it, or the value index (enum refs), else -1
    ref_values: dict[int, tuple[str, ...]]  # slot kind -> the enum values naming its slots
    prov_ptr: np.ndarray  # int64 CSR: slot -> providers
    prov: np.ndarray  # int32 provider node indices, sorted within each slot
    prov_share: np.ndarray  # int32 per provider edge: share in hundredths of a percent, -1 unknown
    prov_conf: np.ndarray  # int8 per provider edge: weakest confidence rank of its relationships
    prov_asof: np.ndarray  # int32 per provider edge: oldest as_of of its relationships
    serve_ptr: np.ndarray  # int64 CSR: provider -> slots it serves
    serve: np.ndarray  # int32 slot indices
    serve_edge: np.ndarray  # int64: the provider edge (index into ``prov``) of each serve entry
    dep_types: tuple[str, ...]  # the supply relationship types, in string order
    dep_src: np.ndarray  # int32: the dependent end of each supply relationship
    dep_dst: np.ndarray  # int32: the end it depends on
    dep_type: np.ndarray  # int8 into dep_types
    dep_item: np.ndarray  # int32 node naming the relationship's slot when a property names it, else -1
    dep_conf: np.ndarray  # int8 confidence rank of each supply relationship (deps order)
    dep_asof: np.ndarray  # int32 as_of of each supply relationship (deps order)
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
        """``item:<id>``, ``material:<id>``, ``location``, ``production:<stage>`` or ``production``
        (a material with no producer at all)."""
        code = int(self.slot_kind[slot])
        ref = int(self.slot_ref[slot])
        if ref < 0:
            return SLOT_KINDS[code]
        values = self.ref_values.get(code)
        return f"{SLOT_KINDS[code]}:{values[ref] if values is not None else self.ids[ref]}"

    def edges(self, slot: int) -> range:
        """The provider edges of ``slot`` (indices into ``prov``, ``prov_share``, ...)."""
        return range(int(self.prov_ptr[slot]), int(self.prov_ptr[slot + 1]))

    def members(self, bloc: str) -> np.ndarray:
        """Bool mask of the countries that are members of ``bloc`` (on the selection's as-of)."""
        mask = np.zeros(self.n, dtype=bool)
        mask[list(self.blocs.get(bloc, ()))] = True
        return mask

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

    def slot_shares(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per slot: the sum of its providers' known shares (hundredths of a percent), how many
        providers have an unknown share, and how many have a known one."""

        def build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            owner = np.repeat(np.arange(self.n_slots), np.diff(self.prov_ptr))
            known = self.prov_share >= 0
            total = np.bincount(owner, weights=np.where(known, self.prov_share, 0), minlength=self.n_slots)
            unknown = np.bincount(owner[~known], minlength=self.n_slots)
            n_known = np.bincount(owner[known], minlength=self.n_slots)
            arrays = (total.astype(np.int64), unknown.astype(np.int64), n_known.astype(np.int64))
            _frozen(*arrays)
            return arrays

        return self._memo("shares", build)

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
    labels, unit_labels = supply_labels(schema)
    label_code = {label: i for i, label in enumerate(labels)}
    # The nodes of the supply graph, in Python string order of their ids (UTF-8 byte order).
    code_of_label = np.array([label_code.get(lab, -1) for lab in dataset.labels] + [-1], dtype=np.int64)
    node_label = code_of_label[dataset.label_codes] if len(dataset.label_codes) else np.zeros(0, np.int64)
    members = np.flatnonzero(node_label >= 0)
    member_ids = dataset.ids.take(pa.array(members))
    order = pc.sort_indices(member_ids).to_numpy(zero_copy_only=False)
    at = members[order]  # projection index -> dataset node index
    ids = member_ids.take(pa.array(order)).to_pylist()
    index = {node_id: i for i, node_id in enumerate(ids)}
    n = len(ids)
    proj_of = np.full(len(dataset.ids) + 1, -1, dtype=np.int64)  # dataset index -> projection index
    proj_of[at] = np.arange(n)
    label = node_label[at].astype(np.int8)
    node_conf = np.zeros(len(dataset.label_codes), dtype=np.int8)
    node_asof = np.zeros(len(dataset.label_codes), dtype=np.int32)
    for table in dataset.node_tables.values():
        node_conf[table.index] = per_value(table.columns.get("confidence"), confidence_rank, len(table))
        node_asof[table.index] = per_value(table.columns.get("as_of"), date_int, len(table))
    node_conf, node_asof = node_conf[at], node_asof[at]

    roles = schema.supply_types
    dep_types = tuple(sorted(roles))
    type_code = {t: c for c, t in enumerate(dep_types)}
    # What names each type's slot: a property naming a node (``ref``), an enum property (one slot
    # per value), an end, or nothing.
    ref_prop: dict[str, str | None] = {}
    enum_prop: dict[str, tuple[str, tuple[str, ...], str | None]] = {}
    ref_values: dict[int, tuple[str, ...]] = {}
    for t, r in roles.items():
        prop = next((p for p in schema.rel(t).properties if p.name == r.ref), None)
        ref_prop[t] = prop.name if prop is not None and prop.type == "ref" else None
        if prop is not None and prop.type == "enum":
            enum_prop[t] = (prop.name, tuple(prop.values), prop.default)
            ref_values[SLOT_KINDS.index(r.slot)] = tuple(prop.values)
    has_share = {t for t in roles if any(p.name == "share_pct" for p in schema.rel(t).properties)}

    # The supply relationships, type by type, as whole columns (a relationship whose end is not
    # in the supply graph is left out).
    parts: list[tuple[np.ndarray, ...]] = []
    for t, table in dataset.rel_tables.items():
        code = type_code.get(t)
        if code is None:
            continue
        s, d = proj_of[np.minimum(table.src, len(dataset.ids))], proj_of[np.minimum(table.dst, len(dataset.ids))]
        keep = (s >= 0) & (d >= 0)
        m = int(keep.sum())
        columns = table.columns
        item = np.full(m, -1, dtype=np.int64)
        if ref_prop[t] is not None and ref_prop[t] in columns:
            item = proj_of[_node_index(dataset, columns[ref_prop[t]])][keep]
        value = np.full(m, -1, dtype=np.int64)
        if t in enum_prop:
            name, values, default = enum_prop[t]
            value = per_value(
                columns.get(name),
                lambda v, vs=values, d=default: (
                    vs.index(v if v is not None else d) if (v if v is not None else d) in vs else -1
                ),
                len(table),
            )[keep]
        share = np.full(m, -1, dtype=np.int32)
        if t in has_share and "share_pct" in columns:
            pct = table.column("share_pct", "number").cast(pa.float64()).to_numpy(zero_copy_only=False)[keep]
            share = np.where(np.isnan(pct), -1, np.rint(np.nan_to_num(pct) * 100)).astype(np.int32)
        conf = per_value(columns.get("confidence"), confidence_rank, len(table), np.int8)[keep]
        asof = per_value(columns.get("as_of"), date_int, len(table), np.int32)[keep]
        parts.append((s[keep], d[keep], np.full(m, code, dtype=np.int8), item, value, share, conf, asof))
    if parts:
        rsrc, rdst, rtyp, ritem, rvalue, rshare, rconf, rasof = (np.concatenate(c) for c in zip(*parts))
    else:
        rsrc, rdst, ritem, rvalue = (np.zeros(0, dtype=np.int64) for _ in range(4))
        rtyp, rconf = np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int8)
        rshare, rasof = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    rsrc, rdst, ritem, rvalue = (a.astype(np.int64) for a in (rsrc, rdst, ritem, rvalue))

    # Per relationship: its consumer, the other end, the slot kind and the node naming the slot.
    consumer_is_dst = np.zeros(len(dep_types), dtype=bool)
    kind_of = np.zeros(len(dep_types), dtype=np.int64)
    provides = np.zeros(len(dep_types), dtype=bool)
    ref_end = np.zeros(len(dep_types), dtype=np.int8)  # 0: none / node property, 1: from, 2: to, 3: enum
    for t, role in roles.items():
        c = type_code[t]
        consumer_is_dst[c] = role.consumer == "to"
        kind_of[c] = SLOT_KINDS.index(role.slot)
        provides[c] = role.provides
        ref_end[c] = 3 if t in enum_prop else {"from": 1, "to": 2}.get(role.ref or "", 0)
    flip = consumer_is_dst[rtyp]
    consumer = np.where(flip, rdst, rsrc)
    other = np.where(flip, rsrc, rdst)
    end = ref_end[rtyp]
    slot_ref = np.where(end == 1, rsrc, np.where(end == 2, rdst, np.where(end == 3, rvalue, ritem)))  # -1 if none
    kinds = kind_of[rtyp]

    # Dependency orientation for deps: dependent (consumer) -> the other end.
    order = np.lexsort((ritem, rtyp, other, consumer))
    dep = (
        consumer[order].astype(np.int32),
        other[order].astype(np.int32),
        rtyp[order],
        ritem[order].astype(np.int32),
        rconf[order],
        rasof[order],
    )

    # Slots, keyed (owner, kind, ref + 1) as one int64; provider edges as (slot key, provider).
    big = np.int64(n + 1)
    n_kinds = len(SLOT_KINDS)

    def key(owner, kind, ref):
        return (owner * n_kinds + kind) * big + (ref + 1)

    gives = provides[rtyp]
    edge_keys = key(consumer[gives], kinds[gives], slot_ref[gives])
    edge_prov = other[gives]
    named = _unique(key(consumer, kinds, slot_ref))
    always = []
    for t, role in roles.items():
        if role.always:
            rtype = schema.rel(t)
            for lab in rtype.targets if role.consumer == "to" else rtype.sources:
                if lab in label_code:
                    owners = np.flatnonzero(label == label_code[lab]).astype(np.int64)
                    gap = key(owners, SLOT_KINDS.index(role.slot), np.full(len(owners), -1, dtype=np.int64))
                    # Only an owner with no slot of this kind at all keeps the unnamed gap slot.
                    always.append(gap[~np.isin(gap // big, named // big)])
    slot_keys = _unique(np.concatenate([named, *always]))
    slot_ref_arr = (slot_keys % big - 1).astype(np.int32)
    slot_kind = ((slot_keys // big) % n_kinds).astype(np.int8)
    slot_owner = (slot_keys // big // n_kinds).astype(np.int32)
    edge_slot = np.searchsorted(slot_keys, edge_keys)
    # Provider edges: unique (slot, provider) pairs; what several relationships behind one pair
    # rest on is the weakest confidence and the oldest as_of, and their shares add up.
    edge_pair = edge_slot * big + edge_prov
    by_pair = np.argsort(edge_pair, kind="stable")
    sorted_pairs = edge_pair[by_pair]
    first = np.ones(len(sorted_pairs), dtype=bool)
    first[1:] = sorted_pairs[1:] != sorted_pairs[:-1]
    starts = np.flatnonzero(first)
    pairs = sorted_pairs[starts]
    g_share, g_conf, g_asof = rshare[gives][by_pair], rconf[gives][by_pair], rasof[gives][by_pair]
    if len(starts):
        unknown = np.maximum.reduceat((g_share < 0).astype(np.int8), starts) > 0
        e_share = np.where(unknown, -1, np.add.reduceat(np.maximum(g_share, 0).astype(np.int64), starts))
        e_conf = np.maximum.reduceat(g_conf, starts)
        e_asof = np.minimum.reduceat(g_asof, starts)
    else:
        e_share = np.zeros(0, dtype=np.int64)
        e_conf, e_asof = g_conf, g_asof
    e_share, e_conf, e_asof = e_share.astype(np.int32), e_conf.astype(np.int8), e_asof.astype(np.int32)
    e_slot = (pairs // big).astype(np.int32)
    e_prov = (pairs % big).astype(np.int32)
    n_slots = len(slot_keys)
    blocs = _blocs(dataset, proj_of)
    allied = np.zeros(n, dtype=bool)
    for bloc in ALLIED_BLOCS:
        allied[list(blocs.get(bloc, ()))] = True
    prov_ptr = _csr(e_slot, n_slots)
    slot_ptr = _csr(slot_owner, n)
    rorder = np.lexsort((e_slot, e_prov))
    serve = e_slot[rorder]
    serve_edge = rorder.astype(np.int64)
    serve_ptr = _csr(e_prov[rorder], n)

    country = np.full(n, -1, dtype=np.int32)
    loc = gives & (kinds == LOCATION)
    country[consumer[loc]] = other[loc]
    is_unit = np.isin(label, [label_code[lab] for lab in unit_labels if lab in label_code])
    arrays = [
        label,
        allied,
        node_conf,
        node_asof,
        e_share,
        e_conf,
        e_asof,
        country,
        slot_ptr,
        slot_owner,
        slot_kind,
        slot_ref_arr,
        prov_ptr,
        e_prov,
        serve_ptr,
        serve,
        serve_edge,
        *dep,
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
        blocs=blocs,
        allied=allied,
        node_conf=node_conf,
        node_asof=node_asof,
        slot_ptr=slot_ptr,
        slot_owner=slot_owner,
        slot_kind=slot_kind,
        slot_ref=slot_ref_arr,
        ref_values=ref_values,
        prov_ptr=prov_ptr,
        prov=e_prov,
        prov_share=e_share,
        prov_conf=e_conf,
        prov_asof=e_asof,
        serve_ptr=serve_ptr,
        serve=serve,
        serve_edge=serve_edge,
        dep_types=dep_types,
        dep_src=dep[0],
        dep_dst=dep[1],
        dep_type=dep[2],
        dep_item=dep[3],
        dep_conf=dep[4],
        dep_asof=dep[5],
    )


def _node_index(dataset: Dataset, column: Any) -> np.ndarray:
    """The dataset node index each value of a reference column names (``len(dataset.ids)`` where
    it is unset or names no node)."""
    none = len(dataset.ids)
    if not isinstance(column, tuple) and pa.types.is_dictionary(column.type) and len(column.dictionary) == none:
        index = column.indices.fill_null(none).to_numpy(zero_copy_only=False).astype(np.int64)
        return np.where(index < len(dataset.nodes), index, none)
    values = list(column) if isinstance(column, tuple) else column.to_pylist()
    found = dataset.index_of([v if isinstance(v, str) else "" for v in values]).astype(np.int64)
    return np.where(found < 0, none, found)


def _blocs(dataset: Dataset, proj_of: np.ndarray) -> dict[str, frozenset[int]]:
    """Bloc id -> the countries (projection indices) that are MEMBER_OF it in ``dataset``."""
    blocs = dataset.node_tables.get("Bloc")
    if blocs is None:
        return {}
    out: dict[int, list[int]] = {int(i): [] for i in blocs.index}
    table = dataset.rel_tables.get("MEMBER_OF")
    if table is not None and "Country" in dataset.labels:
        country = dataset.labels.index("Country")
        codes = np.append(dataset.label_codes, -1)
        src, dst = table.src, table.dst
        src_proj = proj_of[np.minimum(src, len(dataset.ids))]
        keep = np.isin(dst, blocs.index) & (src_proj >= 0) & (codes[np.minimum(src, len(codes) - 1)] == country)
        for b, c in zip(dst[keep].tolist(), src_proj[keep].tolist()):
            out[b].append(c)
    ids = dataset.ids
    return {ids[b].as_py(): frozenset(members) for b, members in out.items()}
