"""Builders of tempdata's committed reference data; run ``scripts/build_reference_data.py``.

``build`` holds the driver, the shared helpers (:class:`~refdata.build.Artifact`,
:class:`~refdata.build.Source`, :class:`~refdata.build.BuildContext`) and the first
tables (countries, cities, names, e-mail domains). Each further topic lives in its own
module exposing ``BUILDERS``, a list of ``build_*(ctx) -> Artifact`` functions, and is
listed in :func:`refdata.build.builders`.
"""
