"""A small supply chain with sustainment figures, for the survive, surge, report and graph tests.

The 155 mm shell programme ``ammo`` needs 100 shells a month and holds 2 months (reported). Its
only supplier ``plant`` (in DE, time to recover 9 months) can deliver 150 a month
(illustrative) and holds 4 months of antimony, which only China produces (both stages).
``radar-prog`` gets radars from ``thales`` (NL) and has no figures at all. Worked out by hand:

- China drops out: the plant runs 4 more months on its antimony, the programme 2 more on its
  stock: TTS 6. The radar programme is not touched; with nothing recorded it is unbounded, a
  lower bound on risk.
- The plant drops out: TTS 2 (its stock), 7 months short of the plant's time to recover.
- Demand tripled (300 a month): the plant's 150 leave 150 a month short; the programme's stock
  of 200 shells covers that for 4/3 months, and nothing else limits it: TTS 4/3.
"""

from __future__ import annotations

from pathlib import Path

from nldtib.dataset.records import Dataset
from nldtib.dataset.writer import write_dataset

from analysis_fixtures import GraphBuilder

__all__ = ["ammo_graph", "write_ammo"]


def ammo_graph() -> GraphBuilder:
    g = GraphBuilder()
    g.programme("ammo", name="155 mm shells")
    g.programme("radar-prog", name="Radars")
    g.org("plant", "DE", name="Shell plant", ttr_months=9)
    g.org("thales", "NL", name="Thales")
    g.requires(
        "ammo",
        "shell",
        demand_per_month=100,
        stock_months=2,
        source="https://example.org/stock",
        as_of="2024-01",
        confidence="reported",
    )
    g.supplies(
        "plant",
        "ammo",
        "shell",
        capacity_per_month=150,
        source="https://example.org/plant",
        as_of="2025",
        confidence="illustrative",
    )
    g.uses("plant", "antimony", stock_months=4, source="modelled", as_of="2025", confidence="illustrative")
    g.produces("CN", "antimony", 48, stage="extraction")
    g.produces("CN", "antimony", 90, stage="processing")
    g.supplies("thales", "radar-prog", "radar")
    return g


def write_ammo(folder: Path) -> Path:
    ds: Dataset = ammo_graph().dataset()
    write_dataset(ds, folder)
    return folder
