"""Outputs: the report, the interactive HTML graph, exports, and how each states its classification.

Every output is built from the records the session selected (see
:mod:`nldtib.dataset.classification`) and carries the highest sensitivity of the records it
includes in its header. Import the submodule you need (``nldtib.output.export``, ...).
"""
