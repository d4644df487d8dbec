"""The benchmark steps: a registry of named, timed operations.

Each :class:`Step` has a ``setup`` (not timed; builds its inputs from a :class:`Context`) and a
``run`` (timed). A step whose modules do not import yet (analyses, report, Neo4j load being
built elsewhere) raises :class:`NotBuilt` from its setup and is shown as "n/a (not built yet)".
To add a step, decorate a function with :func:`step`.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = ["Context", "Step", "STEPS", "NotBuilt", "step"]


class NotBuilt(Exception):
    """The code this step measures does not exist (yet) in this checkout, or needs a service."""


@dataclass
class Context:
    """What a step may use: the size, the dataset folder, and lazily the dataset and projection."""

    size: str
    orgs: int
    seed: int
    folder: Path
    scratch: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def dataset(self):
        from nldtib.dataset.reader import read_dataset

        return read_dataset(self.folder)

    @cached_property
    def projection(self):
        build = need("nldtib.projection", "build_projection")
        return build(self.dataset)

    def programmes(self) -> list[str]:
        return sorted(n.id for n in self.dataset if n.label == "Programme")


@dataclass(frozen=True)
class Step:
    name: str
    setup: Callable[[Context], Any]
    run: Callable[[Any], Any]
    describe: str = ""
    max_orgs: int | None = None  # skip above this size (naive baselines)
    reset: Callable[[Any], None] | None = None  # called before each timed run
    report: Callable[[Any, Any], dict[str, Any]] | None = None  # extra figures from (state, result)


STEPS: dict[str, Step] = {}


def step(
    name: str,
    describe: str = "",
    max_orgs: int | None = None,
    reset: Callable | None = None,
    report: Callable | None = None,
) -> Callable:
    """Register ``fn(ctx) -> (state, run)``: the decorated function is the setup, returning the
    state and the function timed on it."""

    def wrap(fn: Callable[[Context], tuple[Any, Callable[[Any], Any]]]) -> Callable:
        def setup(ctx: Context) -> Any:
            return fn(ctx)

        STEPS[name] = Step(
            name,
            setup,
            lambda pair: pair[1](pair[0]),
            describe or (fn.__doc__ or "").strip(),
            max_orgs,
            (lambda pair: reset(pair[0])) if reset else None,
            (lambda pair, out: report(pair[0], out)) if report else None,
        )
        return fn

    return wrap


def need(module: str, attr: str | None = None) -> Any:
    """Import ``module`` (and get ``attr``) or raise :class:`NotBuilt`."""
    try:
        mod = importlib.import_module(module)
        return getattr(mod, attr) if attr else mod
    except (ImportError, AttributeError) as exc:
        raise NotBuilt(f"{module}{'.' + attr if attr else ''}: {exc}") from None


def _clear_cache(state: Any) -> None:
    """The projection memoises its derived indices; each timed run starts cold."""
    proj = state[1] if isinstance(state, tuple) else state
    cache = getattr(proj, "_derived", None)
    if isinstance(cache, dict):
        cache.clear()


# --- steps available now -------------------------------------------------------------------


@step("generate", "generate(orgs, seed): the synthetic dataset in memory")
def _generate(ctx: Context):
    from nldtib.synthetic.generate import generate

    return (ctx.orgs, ctx.seed), lambda a: generate(*a)


@step("read+validate", "read_dataset(folder): parse every CSV, validate every column and reference")
def _read(ctx: Context):
    from nldtib.dataset.reader import read_dataset

    return ctx.folder, read_dataset


@step("write", "write_dataset(dataset, folder): canonical CSV")
def _write(ctx: Context):
    from nldtib.dataset.writer import write_dataset

    ds = ctx.dataset
    out = ctx.scratch / "write"
    return (ds, out), lambda a: write_dataset(*a)


@step("networkx", "to_networkx(dataset): the networkx MultiDiGraph that Session.to_networkx() gives")
def _networkx(ctx: Context):
    from nldtib.output.export import to_networkx

    ds = ctx.dataset
    return ds, to_networkx


# --- steps that plug in when their code lands ------------------------------------------------


@step("projection", "build_projection(dataset): the integer/CSR analysis graph")
def _projection(ctx: Context):
    build = need("nldtib.projection", "build_projection")
    return ctx.dataset, build


def _analysis(name: str):
    return need("nldtib.analysis", name)


@step("deps", "dependencies(first programme, up, all depths)", reset=_clear_cache)
def _deps(ctx: Context):
    fn = _analysis("dependencies")
    ds, proj, root = ctx.dataset, ctx.projection, ctx.programmes()[0]
    return (ds, proj), lambda s: fn(s[0], root, projection=s[1])


@step("whatif", "whatif(blocs=[non-eu-nato]): one cascade with explanations", reset=_clear_cache)
def _whatif(ctx: Context):
    fn = _analysis("whatif")
    return (ctx.dataset, ctx.projection), lambda s: fn(s[0], blocs=["non-eu-nato"], projection=s[1])


@step("critical order-1", "chokepoints(all programmes, order 1) with explanation chains", reset=_clear_cache)
def _critical1(ctx: Context):
    fn = _analysis("chokepoints")
    return (ctx.dataset, ctx.projection), lambda s: fn(s[0], projection=s[1])


@step(
    "critical order-1 limit 25",
    "chokepoints(all programmes, order 1, limit=25): what the report asks for",
    reset=_clear_cache,
)
def _critical1_limit(ctx: Context):
    fn = _analysis("chokepoints")
    return (ctx.dataset, ctx.projection), lambda s: fn(s[0], projection=s[1], limit=25)


@step(
    "critical sets",
    "critical_sets(all programmes): the order-1 crit-set recursion alone, no chains",
    reset=_clear_cache,
)
def _critical_sets(ctx: Context):
    fn = need("nldtib.analysis.critical", "critical_sets")
    proj = ctx.projection
    targets = [int(i) for i in proj.nodes_with("Programme")]
    return proj, lambda p: fn(p, targets)


@step(
    "critical sets min-share",
    "critical_sets(all programmes, min_share=30): the crit-set recursion with threshold gates (nothing is down at the outset at M)",
    reset=_clear_cache,
)
def _critical_sets_gated(ctx: Context):
    fn = need("nldtib.analysis.critical", "critical_sets")
    proj = ctx.projection
    targets = [int(i) for i in proj.nodes_with("Programme")]
    return proj, lambda p: fn(p, targets, 30)


@step("critical order-2", "chokepoints(first programme, order 2, default budget)", reset=_clear_cache)
def _critical2(ctx: Context):
    fn = _analysis("chokepoints")
    root = ctx.programmes()[0]
    return (ctx.dataset, ctx.projection), lambda s: fn(s[0], [root], order=2, projection=s[1])


@step("exposure", "exposure(all programmes)", reset=_clear_cache)
def _exposure(ctx: Context):
    fn = _analysis("exposure")
    return (ctx.dataset, ctx.projection), lambda s: fn(s[0], projection=s[1])


@step("control", "control(): foreign-control flags for every Dutch organisation", reset=_clear_cache)
def _control(ctx: Context):
    fn = _analysis("control")
    return ctx.dataset, fn


@step(
    "seven analyses",
    "deps, whatif, chokepoints (limit 25), order 2 (one programme), exposure, control, gaps "
    "on one projection, as the report needs them",
    reset=_clear_cache,
)
def _seven(ctx: Context):
    a = need("nldtib.analysis")
    ds, first = ctx.dataset, ctx.programmes()[0]

    def run(proj: Any) -> None:
        a.dependencies(ds, first, projection=proj)
        a.whatif(ds, blocs=["non-eu-nato"], projection=proj)
        a.chokepoints(ds, projection=proj, limit=25)
        a.chokepoints(ds, [first], order=2, projection=proj)
        a.exposure(ds, projection=proj)
        a.control(ds)
        a.gaps(ds, projection=proj)

    return ctx.projection, run


def _report_command() -> list[str]:
    if importlib.util.find_spec("nldtib.cli.report") is None:
        raise NotBuilt("nldtib report: nldtib/cli/report.py does not exist yet")
    return [sys.executable, "-c", "from nldtib.cli import main; main()"]


def _command(args: list[str], ok: tuple[int, ...] = (0,)) -> Callable[[Any], None]:
    """Run ``nldtib ARGS`` in a fresh process, from the checkout being measured."""
    code = os.environ.get("NLDTIB_BENCH_CODE") or str(Path(__file__).resolve().parent.parent)
    cmd = _report_command() + args

    def run(_: Any) -> None:
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=code)
        if done.returncode not in ok:
            raise RuntimeError(f"{' '.join(args[:3])} failed: {done.stderr.strip()[-300:]}")

    return run


@step("report (end to end)", "`nldtib --data DIR report --format json`: a fresh process, start-up included")
def _report(ctx: Context):
    return None, _command(["--data", str(ctx.folder), "report", "--format", "json", "-o", os.devnull])


@step("validate (end to end)", "`nldtib validate DIR`: a fresh process, start-up included")
def _validate(ctx: Context):
    return None, _command(["validate", str(ctx.folder)])


@step("export graphml (end to end)", "`nldtib --data DIR export graphml -o FILE`: a fresh process, streamed")
def _export_graphml(ctx: Context):
    out = ctx.scratch / "export.graphml"
    cmd = _report_command() + ["--data", str(ctx.folder), "export", "graphml", "-o", str(out)]

    def run(_: Any) -> None:
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"export failed: {done.stderr.strip()[-300:]}")
        out.unlink()

    return None, run


def _clear_db(state: Any) -> None:
    _, _, clear = state
    if clear is not None:
        clear()


def _db_counts(state: Any, result: Any) -> dict[str, Any]:
    _, ds, _ = state
    return {"rate": {"nodes": len(ds.nodes), "relationships": len(ds.rels)}}


@step(
    "db load (Neo4j)",
    "load the dataset into the real Neo4j (needs NLDTIB_NEO4J_URI)",
    reset=_clear_db,
    report=_db_counts,
)
def _db_load(ctx: Context):
    neo = need("nldtib.store.neo4j")
    if not os.environ.get("NLDTIB_NEO4J_URI"):
        raise NotBuilt("needs a running Neo4j: set NLDTIB_NEO4J_URI (tools/neo4j-local start)")
    load = need("nldtib.store.neo4j.load", "load_dataset")
    store = neo.Neo4jStore.from_env()

    def clear() -> None:  # every run is a fresh load into an empty database
        store.run_schema("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")

    return (store, ctx.dataset, clear), lambda s: load(s[0], s[1])


# --- side-by-side comparisons --------------------------------------------------------------


@step(
    "order-1 vs naive networkx",
    "order-1 critical sets of all programmes vs remove-and-recheck with networkx",
    max_orgs=10_000,
    reset=_clear_cache,
    report=lambda state, result: result,
)
def _naive(ctx: Context):
    from naive import compare  # bench/naive.py

    crit_fn = need("nldtib.analysis.critical", "critical_sets")
    sample = None if ctx.orgs <= 2_000 else 300
    return (ctx.dataset, ctx.projection, crit_fn), lambda s: compare(*s, sample=sample, seed=ctx.seed)


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its finished children (the report step)."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds, result) of one call."""
    w, c = time.perf_counter(), _cpu()
    out = fn()
    return time.perf_counter() - w, _cpu() - c, out


def scratch_dir(base: Path) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="scratch-", dir=base))


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
