"""The public base for writing a sampler or a dataset module: the array type, the
``repr`` of a sampler call and the checks of a factory's arguments.

Datasets and outside code import these from here, not from the private
``tempdata.samplers._base`` (DESIGN §10: no private imports across packages).
"""

from __future__ import annotations

from tempdata.samplers._base import Array, CallRepr, SortedLookup, integer, number

__all__ = ["Array", "CallRepr", "SortedLookup", "integer", "number"]
