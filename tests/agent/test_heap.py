"""Start-up objects frozen out of the garbage collector's walks (core.heap): what every service does once loaded."""

import gc

from core.heap import freeze_startup_heap


def test_objects_alive_at_start_up_are_no_longer_walked_by_a_full_collection() -> None:
    loaded = [[f"term {index}"] for index in range(10_000)]  # lists: always tracked by the collector
    freeze_startup_heap()
    try:
        walked = {id(tracked) for tracked in gc.get_objects()}  # what a full collection traverses
        assert not any(id(entry) in walked for entry in loaded)
        made_later = ["a request"]
        assert id(made_later) in {id(tracked) for tracked in gc.get_objects()}
    finally:
        gc.unfreeze()  # the test process goes on collecting as before
