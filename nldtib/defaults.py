"""Defaults and limits shared by the library and the command line.

Plain values with no imports, so the ``nldtib`` command can show its options (``--help``) without
loading the analyses, numpy or pyarrow. Each is defined here once; the modules that use them
(the analyses, the generator, the session) import them from here.
"""

from __future__ import annotations

__all__ = ["DEFAULT_BUDGET", "DEFAULT_THRESHOLDS", "EXPORT_FORMATS", "MIN_ORGS", "MIN_RELS_PER_ORG"]

DEFAULT_BUDGET = 1000  # candidate pairs checked by order-2 critical sets
DEFAULT_THRESHOLDS = (10.0, 25.0, 50.0)  # foreign-control flags, in percent
EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "xlsx", "cypher")
MIN_ORGS = 50  # the smallest synthetic base
MIN_RELS_PER_ORG = 4.3  # a synthetic base with one supply slot per consumer
