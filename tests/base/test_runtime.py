import gc

from smartcity.base.runtime import GC_THRESHOLDS, settle


def test_settle_freezes_the_start_up_heap_and_collects_less_often():
    thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    try:
        settle()
        # Django, the apps and their URLconf: hundreds of thousands of objects.
        assert gc.get_freeze_count() > 50_000
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
