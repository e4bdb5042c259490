"""Ready a server process before its first request (config/wsgi.py, config/asgi.py).

Every view, and the libraries the views import (networkx, scipy, DuckDB, Altair ...), is
imported now rather than by the first request, and then everything loaded so far is moved out
of the cyclic garbage collector's sight (`gc.freeze`). These objects live as long as the
process; without the freeze, each full collection walks all of them (about 300,000 objects)
and costs a page 140 ms or more at random (ADR 50, the network page's p95). Forked workers
(gunicorn with preload) share the frozen pages instead of copying them, as the Python
documentation of `gc.freeze` recommends."""

import gc


def warm_and_freeze() -> int:
    """Import the URLconf (so every view module), then freeze; how many objects were frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing every view is the point
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
