"""Start-up objects out of the garbage collector's sight: no pause walking the models' heaps under load."""

import gc


def freeze_startup_heap() -> None:
    """Collect what start-up left behind, then move every live object to the permanent generation.

    A full (generation 2) collection walks every tracked object: with the models, vocabularies and
    libraries loaded, that took 100-220 ms in the agent's worker and 115-170 ms in the TF-IDF and
    transformer services, every few seconds under load, and every request in flight waited (the p99
    of /classify). Objects made later are collected as before; a frozen object that dies is still
    freed by reference counting. Called again, it freezes what was loaded since. Before a fork, it
    also keeps the children from copying pages the collector would otherwise write to.
    """
    gc.collect()
    gc.freeze()
