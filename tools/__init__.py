"""Measurement tooling of the project, kept out of the product packages (``kpi``, ``ui``): the page benchmark
(``tools.bench``, run as ``python -m kpi bench``) and its AppTest worker (``tools.bench_worker``).

The dashboard never imports this package; ``kpi.cli`` imports it only to build and run the ``bench`` command.
"""
