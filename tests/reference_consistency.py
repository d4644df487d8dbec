"""The reference cross-row checks: the record-by-record version that nldtib's columnar
``nldtib/dataset/consistency.py`` replaced, kept as it was (apart from the imports) so that
``tests/test_dataset_columnar.py`` can compare the two.

Cross-row consistency of a dataset: the checks no single column can make.

The reader validates each row on its own; :func:`consistency_issues` then checks the rows
against each other, once, and reports each problem at the row that shows it:

- a ``valid_to`` that is not after its ``valid_from`` (any row, node or relationship);
- known shares of one slot summing over 100 % (with a 1-point tolerance): ``PRODUCES.share_pct``
  per (material, stage), ``SUPPLIES.share_pct`` per (consumer, item);
- ownership of one organisation summing over 100 % (1-point tolerance), in equity
  (``OWNED_BY.share_pct``) or in votes (``voting_pct`` where given, else ``share_pct``);
- self-loops: an organisation supplying or owning itself.

Sums only add rows that hold at the same time (their ``valid_from``/``valid_to`` overlap): a
sold stake and the stake that replaced it are not counted together. ``where(kind, key)`` gives
the ``(path, line)`` of a record: ``("node", id)`` or ``("rel", index into dataset.rels)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from nldtib.dataset.classification import date_key
from nldtib.dataset.records import Dataset, Rel
from nldtib.errors import Issue

__all__ = ["consistency_issues", "TOLERANCE"]

TOLERANCE = 1.0  # percentage points over 100 that a sum of shares may reach (rounding)
SHARED = ("PRODUCES", "SUPPLIES", "OWNED_BY")  # the types whose shares add up per group
Where = Callable[[str, object], tuple[str, int]]


def _interval(props) -> tuple[str, str]:
    start, end = props.get("valid_from"), props.get("valid_to")
    return (date_key(start) if start else "0000-00-00", date_key(end) if end else "9999-99-99")


def _peak(rows: list[tuple[int, float, tuple[str, str]]]) -> tuple[float, int]:
    """The highest sum of values holding at one time, and the last row (index) of that sum."""
    best, at = 0.0, rows[0][0]
    for _, _, (start, _) in rows:  # a maximum is reached at some row's start
        active = [(i, v) for i, v, (s, e) in rows if s <= start < e]
        total = sum(v for _, v in active)
        if total > best:
            best, at = total, max(i for i, _ in active)
    return best, at


def _sums(
    rows_of_type: list[tuple[int, Rel]], group: Callable[[Rel], tuple], value: Callable[[Rel], float | None]
) -> list[tuple[int, float, tuple]]:
    groups: dict[tuple, list[tuple[int, float, tuple[str, str]]]] = defaultdict(list)
    for i, r in rows_of_type:
        v = value(r)
        if v is not None:
            groups[group(r)].append((i, float(v), _interval(r.props)))
    out = []
    for key, rows in groups.items():
        if sum(v for _, v, _ in rows) > 100 + TOLERANCE:
            total, at = _peak(rows)
            if total > 100 + TOLERANCE:
                out.append((at, total, key))
    return sorted(out)


def consistency_issues(dataset: Dataset, where: Where) -> list[Issue]:
    """Every cross-row problem of ``dataset``, each at the row that shows it (see the module doc)."""
    issues: list[Issue] = []

    def add(kind: str, key: object, field: str, message: str) -> None:
        path, line = where(kind, key)
        issues.append(Issue(path, line, field, message))

    for node_id, node in dataset.nodes.items():
        props = node.props
        if "valid_to" in props and "valid_from" in props:
            start, end = props["valid_from"], props["valid_to"]
            if date_key(end) <= date_key(start):
                add("node", node_id, "valid_to", f"{end} is not after valid_from {start}")
    by_type: dict[str, list[tuple[int, Rel]]] = defaultdict(list)
    for i, r in enumerate(dataset.rels):
        props = r.props
        if r.type in SHARED and ("share_pct" in props or "voting_pct" in props):
            by_type[r.type].append((i, r))
        if "valid_to" in props and "valid_from" in props:
            start, end = props["valid_from"], props["valid_to"]
            if date_key(end) <= date_key(start):
                add("rel", i, "valid_to", f"{end} is not after valid_from {start}")
        if r.src == r.dst and r.type in ("SUPPLIES", "OWNED_BY"):
            what = "supplies itself" if r.type == "SUPPLIES" else "owns itself"
            add("rel", i, "to", f"{r.src!r} {what} (a self-loop)")

    def share(r: Rel) -> float | None:
        return r.props.get("share_pct")

    def votes(r: Rel) -> float | None:
        return r.props.get("voting_pct", r.props.get("share_pct"))

    checks = [
        ("PRODUCES", lambda r: (r.dst, r.props.get("stage")), share, "share_pct", "production shares of {0} ({1})"),
        ("SUPPLIES", lambda r: (r.dst, r.props.get("item")), share, "share_pct", "shares of {1} supplied to {0}"),
        ("OWNED_BY", lambda r: (r.src,), share, "share_pct", "ownership of {0}"),
        ("OWNED_BY", lambda r: (r.src,), votes, "voting_pct", "voting rights in {0}"),
    ]
    reported: set[tuple] = set()  # one issue per group (equity over 100 % makes votes over 100 % too)
    for rel_type, group, value, field, what in checks:
        for at, total, key in _sums(by_type[rel_type], group, value):
            if (rel_type, key) not in reported:
                reported.add((rel_type, key))
                add("rel", at, field, f"{what.format(*key)}: known shares add up to {total:g} % at the same time")
    return sorted(issues, key=lambda e: (e.path, e.line, e.field))
