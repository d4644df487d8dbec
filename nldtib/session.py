"""The session: the one front door to nldtib, shared by the CLI and notebooks.

A :class:`Session` opens a store once, selects the records it may use once
(:func:`nldtib.dataset.classification.select`: its sensitivity limit, the day it evaluates the
base on, ``as_of``, and the weakest confidence it accepts), builds the analysis projection once,
and answers every question on that selection; ``min_share`` makes every slot a threshold gate.
It owns every cache; the records and the projection are immutable, so nothing it caches can go
stale. The records withheld at its sensitivity limit are read only to say whether they bear on a
result: one bit, never which or how many.

>>> import nldtib
>>> s = nldtib.Session()                     # the shipped seed, the memory store, public records
>>> s.classification
'public'
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, TextIO

from .analysis import directory
from .analysis.cascade import whatif as _whatif
from .analysis.control import control as _control
from .analysis.critical import CritSets, critical_sets, target_indices
from .analysis.critical import chokepoints as _chokepoints
from .analysis.deps import dependencies as _dependencies
from .analysis.exposure import exposure as _exposure
from .analysis.gaps import gaps as _gaps
from .analysis.members import members as _members
from .analysis.withheld import withheld_involvement
from .dataset.classification import CONFIDENCE_LEVELS, check_confidence, check_date, check_level, select
from .dataset.records import Dataset
from .dataset.search import ranked
from .defaults import DEFAULT_BUDGET, DEFAULT_THRESHOLDS, EXPORT_FORMATS, MIN_ORGS, MIN_RELS_PER_ORG
from .errors import ConfigError, UsageError
from .progress import report as report_progress
from .projection import Projection, build_projection
from .results import (
    Chokepoints,
    ControlFlags,
    Dependencies,
    Exposure,
    Gaps,
    Members,
    NodeDetail,
    Ownership,
    SearchHits,
    Stats,
    Surge,
    Survival,
    SurvivalSweep,
    WhatIf,
)
from .schema import SENSITIVITY_LEVELS
from .store import STORE_KINDS, store_kind
from .store.base import Store
from .store.memory import MemoryStore

__all__ = [
    "Session",
    "Report",
    "validate",
    "generate_to",
    "CONFIDENCE_LEVELS",
    "DEFAULT_BUDGET",
    "DEFAULT_THRESHOLDS",
    "EXPORT_FORMATS",
    "STORE_KINDS",
    "SENSITIVITY_LEVELS",
    "MIN_ORGS",
    "MIN_RELS_PER_ORG",
]


class Report:
    """A rendered resilience report: ``text`` in ``format`` (md, html or json), and its data."""

    FORMATS = ("md", "html", "json")

    def __init__(self, data: dict[str, Any], format: str = "json"):
        if format not in self.FORMATS:
            raise UsageError(f"unknown report format {format!r}; expected one of {', '.join(self.FORMATS)}")
        self.data, self.format = data, format

    @cached_property
    def text(self) -> str:
        """The report rendered in :attr:`format`."""
        import json

        from .output.report import render_html, render_markdown
        from .progress import report as report_progress

        report_progress(f"rendering the {self.format} report", 0, 1)
        if self.format == "md":
            return render_markdown(self.data)
        if self.format == "html":
            return render_html(self.data)
        return json.dumps(self.data, indent=2, ensure_ascii=False) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """The report's JSON contract (what ``--format json`` prints)."""
        return self.data

    def save(self, path: str | Path) -> Path:
        """Write :attr:`text` to ``path`` atomically."""
        from .output.files import write_atomic

        return write_atomic(path, self.text)

    def __repr__(self) -> str:
        return f"<Report {self.format}: {self.data['summary']['programmes']} programmes; classification {self.data['classification']}>"


class Session:
    """A dataset in a store, seen at one sensitivity limit, on one day, at one confidence.

    Parameters
    ----------
    data
        A dataset folder (or a :class:`~nldtib.Dataset`) for the memory store. Default: the
        shipped public Dutch seed.
    store
        ``"memory"`` or ``"neo4j"`` (settings from ``NLDTIB_NEO4J_*`` or a ``.env`` file), or an
        open store object. Default: ``NLDTIB_STORE``, else ``"memory"``. An unknown value is a
        :class:`~nldtib.errors.ConfigError`.
    max_sensitivity
        ``public`` (default), ``restricted`` or ``confidential``: records above it are left out
        of every answer, count and output.
    allow_partial
        Read a Neo4j database whose last load did not finish (by default that is refused).
    as_of
        The day the base is evaluated on (an ISO date ``YYYY-MM-DD`` or a ``datetime.date``;
        default today): a record counts only if ``valid_from <= as_of < valid_to``.
    min_confidence
        ``illustrative`` (default: every record), ``inferred`` or ``reported``: weaker records
        are left out before any analysis.
    min_share
        A threshold in percent (default 0): a slot fails when the known shares of its surviving
        providers fall below it (a survivor with an unknown share keeps it satisfied).
    """

    def __init__(
        self,
        data: str | Path | Dataset | None = None,
        store: str | Store | None = None,
        max_sensitivity: str = "public",
        as_of: str | datetime.date | None = None,
        min_confidence: str = "illustrative",
        min_share: float = 0,
        allow_partial: bool = False,
    ):
        self.max_sensitivity = check_level(max_sensitivity)
        self.allow_partial = allow_partial
        self.as_of = check_date(as_of) if as_of is not None else datetime.date.today().isoformat()
        self.min_confidence = check_confidence(min_confidence)
        if not 0 <= float(min_share) <= 100:
            raise UsageError(f"--min-share must be a percentage from 0 to 100, not {min_share!r}")
        self.min_share = float(min_share)
        self._store: Store | None = None
        if store is not None and not isinstance(store, str):
            if data is not None:
                raise UsageError("give either an open store or data, not both")
            self._store, self.kind = store, store.name
        else:
            self.kind = store_kind(store)
            if self.kind != "memory" and data is not None:
                raise UsageError(
                    "--data names a dataset folder for the memory store; the neo4j store reads its database"
                )
            if isinstance(data, Dataset):
                self._store = MemoryStore(data)
        self._data = data
        self._crit: dict[tuple[int, ...], CritSets] = {}
        self._variants: dict[tuple, Session] = {}

    # ------------------------------------------------------------------ what the session holds
    @property
    def store(self) -> Store:
        """The store, opened on first use."""
        if self._store is None:
            from .store import open_store

            data = None if isinstance(self._data, Dataset) else self._data
            self._store = open_store(self.kind, data, allow_partial=self.allow_partial)
        return self._store

    def describe(self) -> str:
        """Where the data comes from (never a secret)."""
        return self.store.describe()

    @property
    def dataset_name(self) -> str:
        """The name of the data, for report titles; never a local path.

        A dataset folder is named by the first heading of its ``README.md`` (the seed's is
        ``nldtib seed: a public, sourced map of ...``), else by the folder's name; the Neo4j
        store by its database.

        >>> Session().dataset_name.startswith("nldtib seed")
        True
        """
        if self.kind == "neo4j":
            return f"Neo4j database {self.store.settings.database}"
        from .paths import seed_dir

        origin = self._data.origin if isinstance(self._data, Dataset) else (self._data or seed_dir())
        folder = Path(str(origin)) if origin else None
        readme = folder / "README.md" if folder else None
        if readme is not None and readme.is_file():
            for line in readme.read_text(encoding="utf-8", errors="replace").splitlines()[:40]:
                if line.startswith("# "):
                    return line[2:].strip()
        return folder.name if folder and folder.name else "in-memory dataset"

    @cached_property
    def _all(self) -> Dataset:
        report_progress("reading the data", 0, 1)
        return self.store.dataset()

    @cached_property
    def dataset(self) -> Dataset:
        """The records this session may use: every record at or below its sensitivity limit that
        holds on its ``as_of`` and is at least as strong as its ``min_confidence``."""
        data = self._all
        report_progress("selecting the records", 0, 1)
        return select(data, self.max_sensitivity, self.as_of, self.min_confidence)

    @cached_property
    def records(self) -> Dataset:
        """Every record at or below the sensitivity limit, of any date and confidence: what the
        directory views (``stats``, ``show``, ``search``), the exports and ``dump`` work on, so
        no history is lost. The analyses use :attr:`dataset`."""
        return select(self._all, self.max_sensitivity)

    @cached_property
    def projection(self) -> Projection:
        """The analysis projection of :attr:`dataset`, built once."""
        data = self.dataset
        report_progress("building the analysis graph", 0, 1)
        return build_projection(data)

    @property
    def classification(self) -> str:
        """The highest sensitivity among the records this session uses."""
        return self.dataset.sensitivity()

    def close(self) -> None:
        """Close the store (the session can be used again: it reopens it)."""
        if self._store is not None:
            self._store.close()
            if not isinstance(self._data, Dataset) and self.kind != "memory":
                self._store = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"Session(store={self.kind!r}, max_sensitivity={self.max_sensitivity!r}, as_of={self.as_of!r}, "
            f"min_confidence={self.min_confidence!r}, min_share={self.min_share:g})"
        )

    def variant(self, **changes: Any) -> Session:
        """The same records seen with other selection settings (``max_sensitivity``, ``as_of``,
        ``min_confidence``, ``min_share``), sharing this session's store and records; cached.

        >>> s = Session(as_of="2026-11-30")
        >>> s.variant(min_confidence="reported").min_confidence
        'reported'
        """
        settings = {
            "max_sensitivity": self.max_sensitivity,
            "as_of": self.as_of,
            "min_confidence": self.min_confidence,
            "min_share": self.min_share,
            **changes,
        }
        if settings == {k: getattr(self, k) for k in settings}:
            return self
        key = tuple(sorted(settings.items()))
        if key not in self._variants:
            other = Session(store=self.store, **settings)
            other.__dict__["_all"] = self._all  # the records are read once
            self._variants[key] = other
        return self._variants[key]

    def _unlimited(self) -> Session | None:
        """This selection without the sensitivity limit, or None when the limit withholds nothing."""
        full = self.variant(max_sensitivity="confidential")
        if full is self or (
            len(full.dataset.nodes) == len(self.dataset.nodes) and len(full.dataset.rels) == len(self.dataset.rels)
        ):
            return None
        return full

    # ------------------------------------------------------------------ shared work
    def _targets(self, targets: Sequence[str] | None) -> list[int]:
        return target_indices(self.dataset, self.projection, list(targets) if targets else None)

    def _crit_sets(self, idx: Sequence[int]) -> CritSets:
        key = tuple(sorted(set(idx)))
        if key not in self._crit:
            self._crit[key] = critical_sets(self.projection, key, self.min_share)
        return self._crit[key]

    def withheld(self, targets: Sequence[str] | None = None) -> dict[str, bool]:
        """Per target (default: every programme), whether records withheld at this session's limit
        bear on its critical set. One bit each: never which record, never how many."""
        idx = self._targets(targets)
        ids = [self.projection.ids[i] for i in idx]
        full = self._unlimited()
        if full is None:
            return dict.fromkeys(ids, False)
        return withheld_involvement(
            full.dataset,
            self.dataset,
            ids,
            self.projection,
            self.min_share,
            full_projection=lambda: full.projection,
            crit_sets=self._crit_sets(idx),
        )

    def _differs_unlimited(self, answer: Callable[[Session], Any], mine: Any) -> bool:
        """Whether the answer would differ with the records withheld at this limit (one bit)."""
        full = self._unlimited()
        return full is not None and answer(full) != mine

    # ------------------------------------------------------------------ directory
    def stats(self) -> Stats:
        """Directory figures: counts by label, organisation kind, domain and country.

        >>> s = Session()
        >>> s.stats().by_label["Country"] > 0
        True
        """
        return Stats.from_dict(directory.stats(self.records))

    def show(self, node_id: str) -> NodeDetail:
        """One node with its properties, provenance and relationships.

        >>> Session().show("NL").label
        'Country'
        """
        return NodeDetail.from_dict(directory.show(self.records, node_id))

    def search(self, text: str, label: str | None = None, limit: int = 20) -> SearchHits:
        """Nodes whose id, name, alias or description matches ``text``, best first, each with how
        it matched (``exact``, ``prefix``, ``word prefix``, ``contained``, ``close``: a typo
        away, ``description``). Case, accents, hyphens and spaces are ignored.

        >>> Session().search("netherlands", label="Country").results[0]["id"]
        'NL'
        """
        if label is not None and label not in self.records.schema.nodes:
            raise UsageError(f"unknown label {label!r}; expected one of {', '.join(sorted(self.records.schema.nodes))}")
        hits = ranked(self.records, text, [label] if label else None)[:limit]
        return SearchHits(query=text, results=[{**n.summary(), "match": m.how} for m, n in hits])

    # ------------------------------------------------------------------ analyses
    def deps(self, node_id: str, direction: str = "up", depth: int | None = None) -> Dependencies:
        """What ``node_id`` depends on (``up``) or what depends on it (``down``), tier by tier.

        >>> d = Session().deps("gallium", direction="down", depth=1)
        >>> d.root, d.direction, all(n["tier"] == 1 for n in d.nodes)
        ('gallium', 'down', True)
        """
        return Dependencies.from_dict(
            _dependencies(self.dataset, node_id, direction, depth, projection=self.projection)
        )

    def members(self, programme: str, country: str | None = None, depth: int | None = None) -> Members:
        """The organisations in a programme: its offices (participants with role ``lead``), every
        organisation in the supply tree of the programme or of an office, with its tier, what it
        supplies and its country, and the other participants. ``country`` keeps those located
        there; ``depth`` keeps supply tiers up to N.

        >>> m = Session().members("f-35", country="NL")
        >>> m.offices[0]["id"], all(x["country"] == "NL" for x in m.members)
        ('f-35-jpo', True)
        """
        return Members.from_dict(
            _members(self.dataset, programme, country=country, depth=depth, projection=self.projection)
        )

    def whatif(
        self,
        disrupt: Sequence[str] = (),
        countries: Sequence[str] = (),
        materials: Sequence[str] = (),
        blocs: Sequence[str] = (),
        explain: bool = True,
        spare: Sequence[str] = (),
        explain_limit: int | None = None,
    ) -> WhatIf:
        """Cascade a disruption: every unit that fails, the programmes lost, and why.

        ``blocs``: ``eu``, ``non-nato``, ``non-eu+nato`` (neither), any bloc of the data;
        ``spare``: countries left out of the disruption; ``explain_limit=N``: explanation chains
        only for the first N failed units that were not disrupted (a text view's worth).

        >>> r = Session().whatif(countries=["CN"])
        >>> r.disrupted, "CN" in r.failed
        (['CN'], True)
        """

        def run(s: Session, explain: bool = explain) -> dict[str, Any]:
            return _whatif(
                s.dataset,
                disrupt=disrupt,
                countries=countries,
                materials=materials,
                blocs=blocs,
                projection=s.projection,
                explain=explain,
                spare=spare,
                min_share=s.min_share,
                explain_limit=explain_limit,
            )

        result = run(self)
        failed = (result["failed"], result["programmes_failed"])
        withheld = self._differs_unlimited(
            lambda s: tuple(run(s, False)[k] for k in ("failed", "programmes_failed")), failed
        )
        return WhatIf.from_dict({**result, "as_of": self.as_of, "withheld": withheld})

    def chokepoints(
        self,
        targets: Sequence[str] | None = None,
        order: int = 1,
        budget: int = DEFAULT_BUDGET,
        limit: int | None = None,
    ) -> Chokepoints:
        """Single points of failure (and with ``order=2`` critical pairs) of each target
        (default: every programme), each with the chain that explains it.

        >>> c = Session().chokepoints(["f-35"])
        >>> [t["id"] for t in c.targets]
        ['f-35']
        """
        idx = self._targets(targets)
        result = _chokepoints(
            self.dataset,
            targets,
            order=order,
            budget=budget,
            projection=self.projection,
            limit=limit,
            crit_sets=self._crit_sets(idx),
            min_share=self.min_share,
        )
        withheld = any(self.withheld(targets).values())
        return Chokepoints.from_dict({**result, "as_of": self.as_of, "withheld": withheld})

    def exposure(self, targets: Sequence[str] | None = None, home: str = "NL", top: int = 20) -> Exposure:
        """Country concentration (HHI) per slot and foreign dependence per target.

        >>> Session().exposure(["f-35"]).home
        'NL'
        """

        def run(s: Session) -> dict[str, Any]:
            return _exposure(
                s.dataset,
                targets,
                home=home.upper(),
                top=top,
                projection=s.projection,
                crit_sets=s._crit_sets(s._targets(targets)),
                min_share=s.min_share,
            )

        result = run(self)
        return Exposure.from_dict({**result, "as_of": self.as_of, "withheld": self._differs_unlimited(run, result)})

    def control(
        self, node_id: str | None = None, thresholds: Sequence[float] = DEFAULT_THRESHOLDS, home: str = "NL"
    ) -> Ownership | ControlFlags:
        """Ownership of one organisation (``node_id``), or foreign-control flags for every
        home-country organisation.

        >>> Session().control().home
        'NL'
        """

        def run(s: Session) -> dict[str, Any]:
            return _control(s.dataset, node_id, thresholds, home=home.upper())

        result = run(self)
        withheld = self._differs_unlimited(run, result)
        return (Ownership if node_id is not None else ControlFlags).from_dict(
            {**result, "as_of": self.as_of, "withheld": withheld}
        )

    def gaps(self) -> Gaps:
        """What the directory does not know yet: slots without a provider, organisations without a
        location, programmes without supply data.

        >>> g = Session().gaps()
        >>> g.counts["programmes"] > 0
        True
        """
        return Gaps.from_dict(_gaps(self.dataset, projection=self.projection))

    # ------------------------------------------------------------------ sustainment
    @cached_property
    def sustain_model(self) -> Any:
        """The sustainment figures as arrays over the projection (read once; picklable)."""
        from .analysis.sustain_model import build_model

        return build_model(self.dataset, self.projection)

    def survive(
        self,
        disrupt: Sequence[str] = (),
        countries: Sequence[str] = (),
        materials: Sequence[str] = (),
        blocs: Sequence[str] = (),
        months: float | None = None,
        spare: Sequence[str] = (),
    ) -> Survival:
        """Time to survive (TTS) of every programme under a disruption (``whatif``'s options),
        from stocks and spare capacity (Simchi-Levi's linear program, solved with HiGHS), with
        the binding constraints; ``months`` is how long the disruption lasts.

        >>> r = Session().survive(countries=["CN"], months=6)
        >>> r.disrupted, r.horizon_months
        (['CN'], 6)
        """
        from .analysis.sustain import survive

        if months is not None and not months >= 0:
            raise UsageError(f"--months must be 0 or more (got {months})")

        def run(s: Session) -> dict[str, Any]:
            return survive(
                s.dataset,
                s.projection,
                s.sustain_model,
                disrupt,
                countries,
                materials,
                blocs,
                spare,
                months,
                s.min_share,
            )

        result = run(self)
        withheld = self._differs_unlimited(lambda s: _tts(run(s)["programmes"]), _tts(result["programmes"]))
        return Survival.from_dict({**result, "as_of": self.as_of, "withheld": withheld})

    def survive_sweep(
        self, months: float | None = None, workers: int | None = None, engine: str = "process"
    ) -> SurvivalSweep:
        """TTS of every programme without each of its single points of failure, sorted by how
        far it falls short of the unit's time to recover (or of ``months``).

        ``withheld`` says whether records withheld at this limit bear on the single points of
        failure swept (the bit ``chokepoints`` gives)."""
        from .analysis.sustain_sweep import sweep

        if months is not None and not months >= 0:
            raise UsageError(f"--months must be 0 or more (got {months})")
        idx = self._targets(None)
        crit = self._crit_sets(idx).crit
        result = sweep(self.sustain_model, crit, idx, months, workers, engine, self.min_share)
        withheld = any(self.withheld().values())
        return SurvivalSweep.from_dict({**result, "as_of": self.as_of, "withheld": withheld})

    def surge(self, programme: str, factor: float) -> Surge:
        """Multiply a programme's demand by ``factor``: where its chain's capacity cannot follow,
        by how much per month, and how long stocks cover the gap.

        >>> Session().surge("f-35", 2).factor
        2.0
        """
        from .analysis.surge import surge

        def run(s: Session) -> dict[str, Any]:
            return surge(s.dataset, s.projection, s.sustain_model, programme, factor, s.min_share)

        def key(r: dict[str, Any]) -> Any:
            return r["tts_months"], [(f["unit"], f["slot"], f["shortfall_per_month"]) for f in r["shortfalls"]]

        result = run(self)
        withheld = self._differs_unlimited(lambda s: key(run(s)), key(result))
        return Surge.from_dict({**result, "as_of": self.as_of, "withheld": withheld})

    # ------------------------------------------------------------------ outputs
    def report(self, targets: Sequence[str] | None = None, format: str = "json", home: str = "NL") -> Report:
        """The resilience report of the targets (default: every programme).

        >>> r = Session().report(format="md")
        >>> r.text.startswith("**Classification: PUBLIC")
        True
        """
        from .output.report import build_report

        idx = self._targets(targets)
        report_progress("report: critical sets", 1, 3)
        crit = self._crit_sets(idx)
        report_progress("report: analyses", 2, 3)
        data = build_report(
            self.dataset,
            targets=targets,
            max_sensitivity=self.max_sensitivity,
            dataset_name=self.dataset_name,
            store=self.kind,
            home=home.upper(),
            projection=self.projection,
            crit_sets=crit,
            withheld=self.withheld,
            as_of=self.as_of,
            min_confidence=self.min_confidence,
            min_share=self.min_share,
            reported=self._reported,
            sustain_model=self.sustain_model,
        )
        report_progress("report: analyses", 3, 3)
        return Report(data, format)

    def _reported(self, target_ids: list[str]) -> tuple[Dataset, Projection, CritSets]:
        """The same selection on reported records alone, for the report's second counts."""
        rep = self.variant(min_confidence="reported")
        return (
            rep.dataset,
            rep.projection,
            rep._crit_sets([rep.projection.index[t] for t in target_ids if t in rep.projection.index]),
        )

    def graph(
        self,
        focus: str | None = None,
        depth: int = 2,
        labels: Sequence[str] | None = None,
        targets: Sequence[str] | None = None,
        max_nodes: int | None = None,
        title: str | None = None,
        show_hubs: bool = False,
        colour_by: str = "label",
    ) -> Any:
        """The graph as one interactive, offline HTML page (a ``GraphPage``: ``html``, counts,
        classification).

        ``targets`` highlights their single points of failure and sole-source links; without
        ``focus`` or ``labels`` only the targets and their upstream supply chains are drawn, in
        layers by tier. With ``focus``, countries, domains, capabilities and ecosystems are shown
        as node attributes and legend filters instead of nodes, unless ``show_hubs``.
        ``colour_by="tts"`` fills every unit of the targets' supply chains by the shortest time
        the targets survive without it (``survive``).

        >>> page = Session().graph(targets=["f-35"])
        >>> page.html.startswith("<!DOCTYPE html>"), page.classification
        (True, 'public')
        """
        from .output.graph import DEFAULT_MAX_NODES, HUB_LABELS, graph_page, target_highlights, target_scope

        targets = list(dict.fromkeys(targets or ()))
        if colour_by not in ("label", "tts"):
            raise UsageError(f"unknown colouring {colour_by!r}; expected label or tts")
        if colour_by == "tts" and not targets:
            raise UsageError("--colour-by tts needs a --target: the time to survive is the targets'")
        within: dict[str, int] | None = None
        highlights: Callable[[], Any] | None = None
        if targets:
            for t in targets:
                target_indices(self.dataset, self.projection, [t])  # unknown ids fail first
            if focus is None and not labels:
                within = target_scope(self.dataset, targets, self.projection)

            def highlights() -> Any:
                choke = self.chokepoints(targets).to_dict()
                hl = target_highlights(
                    self.dataset.schema, choke, targets, withheld=any(self.withheld(targets).values())
                )
                return hl if colour_by == "label" else hl.merged(self._tts_highlights(targets))

        return graph_page(
            self.dataset,
            max_sensitivity=self.max_sensitivity,
            focus=focus,
            depth=depth,
            labels=labels or None,
            highlights=highlights,
            targets=targets,
            within=within,
            max_nodes=max_nodes or DEFAULT_MAX_NODES,
            title=title,
            hubs=HUB_LABELS if focus is not None and not show_hubs else (),
            levels=within,
        )

    def _tts_highlights(self, targets: list[str]) -> Any:
        """The fill of ``graph --colour-by tts``: every unit of the targets' supply chains by the
        shortest time the targets survive without it."""
        from .analysis.sustain_sweep import without_each
        from .output.graph import Highlights, target_scope
        from .output.sustainment import tts_fill, tts_legend

        proj = self.projection
        scope = target_scope(self.dataset, targets, proj)
        units = [proj.index[i] for i in scope if i in proj.index and proj.is_unit[proj.index[i]]]
        survival = without_each(self.sustain_model, units, [proj.index[t] for t in targets], self.min_share)
        return Highlights(fill=tts_fill(survival), summary=[tts_legend()])

    def export(
        self, fmt: str, path: str | Path | TextIO | None = None, force: bool = False, excel: bool = False
    ) -> str | Path | None:
        """Export the records: ``graphml``, ``gexf``, ``json`` (node-link), ``cypher`` (the
        statements ``db load`` runs), ``csv`` (a dataset folder; ``path`` required, new or
        empty unless ``force``; ``excel`` adds a byte order mark for Excel) or ``xlsx`` (a
        workbook that reads back as a dataset; ``path`` required). Returns the text when no
        ``path`` is given, else the path.
        ``path`` may also be an open text stream (such as ``sys.stdout``): the export is
        streamed into it, and None is returned. Files are written atomically, streamed too.

        >>> Session().export("cypher").startswith("// nldtib Cypher export")
        True
        """
        from .output.export import export_chunks, export_csv, export_xlsx
        from .output.files import write_atomic

        if fmt == "csv":
            if path is None or hasattr(path, "write"):
                raise UsageError("the csv export writes a dataset folder: give it a path (-o DIR)")
            return export_csv(self.records, Path(path), self.max_sensitivity, force=force, excel=excel)
        if fmt == "xlsx":
            if path is None or hasattr(path, "write"):
                raise UsageError("the xlsx export writes a workbook: give it a file (-o FILE.xlsx)")
            return export_xlsx(self.records, path, self.max_sensitivity)
        chunks = export_chunks(self.records, fmt, self.max_sensitivity)
        if path is None:
            return "".join(chunks)
        if hasattr(path, "write"):
            for chunk in chunks:
                path.write(chunk)
            return None
        return write_atomic(path, chunks)

    def to_networkx(self) -> Any:
        """The records as a networkx ``MultiDiGraph`` with every property (node attribute
        ``label`` is the schema label; edge attribute ``type`` the relationship type).

        >>> g = Session().to_networkx()
        >>> g.nodes["NL"]["label"]
        'Country'
        """
        from .output.export import to_networkx

        return to_networkx(self.records)

    # ------------------------------------------------------------------ Neo4j administration
    def _neo4j(self) -> Any:
        if self.kind != "neo4j":
            raise ConfigError("this needs the Neo4j store: Session(store='neo4j') or --store neo4j")
        return self.store

    def init_schema(self) -> dict[str, Any]:
        """Create the constraints and indexes derived from the schema (idempotent)."""
        store = self._neo4j()
        created = store.init_schema()
        return {"created": created, "schema": store.status()["schema"]}

    def load(
        self,
        folder: str | Path,
        replace: bool = False,
        batch_size: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        bulk: bool = False,
    ) -> dict[str, Any]:
        """Validate the dataset ``folder`` in full, then write it to Neo4j (see docs/neo4j.md);
        ``bulk``: through Neo4j's importer, into an empty database (or ``replace``)."""
        from .dataset.reader import read_dataset
        from .store.neo4j.load import DEFAULT_BATCH_SIZE, load_dataset

        dataset = read_dataset(folder)
        store = self._neo4j()
        if bulk:
            from .store.neo4j.bulk import bulk_load

            report = bulk_load(store, dataset, replace=replace, progress=progress)
        else:
            report = load_dataset(
                store, dataset, replace=replace, batch_size=batch_size or DEFAULT_BATCH_SIZE, progress=progress
            )
        return {"folder": str(folder), "target": store.settings.describe(), **report.as_dict()}

    def repair(self) -> dict[str, int]:
        """Delete duplicate copies of relationships in the Neo4j database (see docs/neo4j.md)."""
        from .store.neo4j.load import repair

        return repair(self._neo4j())

    def dump(self, folder: str | Path, force: bool = False) -> Dataset:
        """Write the records of the database (at this session's limit) to ``folder`` in the dataset
        format, and read them back to check. ``folder`` must be new or empty unless ``force``."""
        from .dataset.reader import read_dataset
        from .dataset.writer import write_dataset
        from .output.files import check_folder, prepare_folder

        self._neo4j()
        check_folder(folder, force)
        records = self.records  # read (and refused, if partial) before the folder is touched
        target = prepare_folder(folder, force)
        write_dataset(records, target)
        return read_dataset(target, records.schema)

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        """Run a read-only Cypher query; the column names and the rows."""
        return self._neo4j().query(cypher, params)

    def status(self) -> dict[str, Any]:
        """The server, its counts by label and type, and whether the schema is in place."""
        return self._neo4j().status()


# ---------------------------------------------------------------------- without a session
def validate(folder: str | Path | None = None) -> tuple[Path, Dataset | None, list[Any]]:
    """Read and validate a dataset folder (default: the shipped seed): the folder, the dataset
    (None if any issue) and every issue."""
    from .dataset.reader import validate_dataset
    from .paths import seed_dir

    target = Path(folder) if folder is not None else seed_dir()
    return (target, *validate_dataset(target))


def generate_to(
    folder: str | Path,
    orgs: int,
    seed: int = 0,
    sensitivity: bool = True,
    force: bool = False,
    rels_per_org: float | None = None,
) -> Dataset:
    """Write a synthetic base of ``orgs`` organisations to ``folder`` (new or empty unless ``force``)."""
    from .dataset.writer import write_dataset
    from .output.files import prepare_folder
    from .synthetic import generate

    if orgs < MIN_ORGS:
        raise UsageError(f"--orgs must be at least {MIN_ORGS} (got {orgs})")
    target = prepare_folder(folder, force)
    report_progress(f"generating {orgs:,} organisations", 0, 2)
    dataset = generate(orgs, seed, sensitivity=sensitivity, rels_per_org=rels_per_org)
    report_progress("writing the dataset", 1, 2)
    write_dataset(dataset, target)
    report_progress("writing the dataset", 2, 2)
    return dataset


def _tts(programmes: list[dict[str, Any]]) -> dict[str, Any]:
    """The time to survive per programme: what the withheld bit of ``survive`` compares."""
    return {p["id"]: (p["tts_months"], p["survives"]) for p in programmes}
