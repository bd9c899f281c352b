"""How a long-running web process settles once Django is loaded.

A worker holds a few hundred thousand objects from start-up (modules, URL
patterns, model and form classes, translation catalogues) that live as long
as the process. Python's cyclic garbage collector walks all of them at every
full collection, which a busy worker runs every few dozen requests: measured
at scale 10, those requests took 60-90 ms more than the others (the p95 of
the portfolio overview was 127 ms for a p50 of 50 ms). ``settle()`` moves the
start-up objects to the collector's permanent generation (``gc.freeze``), so
a collection walks only what requests created, and collects the youngest
generation less often (``gc.set_threshold``): requests allocate and free
tens of thousands of short-lived objects, almost none in cycles.

Called by ``smartcity/wsgi.py`` (each gunicorn worker, after the application
and its URLconf are loaded) and by the benchmark's in-process half, which
then measures a process set up as the server's workers are.
"""

import gc

from django.urls import get_resolver

#: Youngest generation collected every 50,000 net allocations instead of 700;
#: the middle one every 20 of those, the oldest every 50 middle ones (and, as
#: always, only when it has grown by a quarter since its last collection).
#: Tried and dropped: 200,000 shortened the meeting pack's tail in paired runs
#: (p95 100-108 -> 83-98 ms at scale 10) but lengthened the other pages'
#: (domain page p95 120 ms, a service page 127 in CI): each young collection
#: then walks up to 200,000 objects in one pause.
GC_THRESHOLDS = (50_000, 20, 50)


def settle() -> None:
    """Load what a first request would load, then freeze the start-up heap."""
    get_resolver().url_patterns  # noqa: B018 - imports every app's views and URLconf
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
