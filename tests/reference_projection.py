"""The reference projection build: the record-by-record ``_build`` that nldtib's columnar one
replaced, kept as it was (apart from the imports) so that ``tests/test_dataset_columnar.py`` can
compare the two array by array."""

from __future__ import annotations

import numpy as np

from nldtib.dataset.classification import confidence_rank
from nldtib.dataset.records import Dataset
from nldtib.projection import (
    ALLIED_BLOCS,
    LOCATION,
    SLOT_KINDS,
    Projection,
    _csr,
    _frozen,
    _unique,
    date_int,
    supply_labels,
)

__all__ = ["build_projection_by_records"]


def build_projection_by_records(dataset: Dataset) -> Projection:
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
    node_conf = np.fromiter((confidence_rank(nodes[i].props.get("confidence")) for i in ids), dtype=np.int8, count=n)
    node_asof = np.fromiter((date_int(nodes[i].props.get("as_of")) for i in ids), dtype=np.int32, count=n)

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

    # One pass over the relationships: the supply ones, as index lists.
    src_l: list[int] = []
    dst_l: list[int] = []
    typ_l: list[int] = []
    item_l: list[int] = []
    value_l: list[int] = []
    share_l: list[int] = []
    conf_l: list[int] = []
    asof_l: list[int] = []
    get = index.get
    for r in dataset.rels:
        code = type_code.get(r.type)
        if code is None:
            continue
        s, d = get(r.src), get(r.dst)
        if s is None or d is None:
            continue
        props = r.props
        src_l.append(s)
        dst_l.append(d)
        typ_l.append(code)
        prop = ref_prop[r.type]
        if prop is not None:
            it = get(props.get(prop))
            item_l.append(-1 if it is None else it)
        else:
            item_l.append(-1)
        enum = enum_prop.get(r.type)
        if enum is not None:
            value = props.get(enum[0], enum[2])
            value_l.append(enum[1].index(value) if value in enum[1] else -1)
        else:
            value_l.append(-1)
        share = props.get("share_pct") if r.type in has_share else None
        share_l.append(-1 if share is None else int(round(float(share) * 100)))
        conf_l.append(confidence_rank(props.get("confidence")))
        asof_l.append(date_int(props.get("as_of")))
    rsrc = np.asarray(src_l, dtype=np.int64)
    rdst = np.asarray(dst_l, dtype=np.int64)
    rtyp = np.asarray(typ_l, dtype=np.int8)
    ritem = np.asarray(item_l, dtype=np.int64)
    rvalue = np.asarray(value_l, dtype=np.int64)
    rshare = np.asarray(share_l, dtype=np.int32)
    rconf = np.asarray(conf_l, dtype=np.int8)
    rasof = np.asarray(asof_l, dtype=np.int32)
    del src_l, dst_l, typ_l, item_l, value_l, share_l, conf_l, asof_l

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
    blocs = _blocs(dataset, index)
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


def _blocs(dataset: Dataset, index: dict[str, int]) -> dict[str, frozenset[int]]:
    """Bloc id -> the countries (node indices) that are MEMBER_OF it in ``dataset``."""
    nodes = dataset.nodes
    out: dict[str, set[int]] = {bloc.id: set() for bloc in dataset.nodes_with("Bloc")}
    for r in dataset.rels:
        if r.type == "MEMBER_OF" and r.dst in out and r.src in index and nodes[r.src].label == "Country":
            out[r.dst].add(index[r.src])
    return {bloc: frozenset(members) for bloc, members in out.items()}
