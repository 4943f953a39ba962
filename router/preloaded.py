"""Importing this module builds the ticket preparer (presidio, spaCy, lingua: seconds, once).

The scrub pool's forkserver imports it before forking any worker (`router.prepare_pool`), so every
worker starts with the preparer built and shares its memory. Nothing else should import it.
"""

from core.heap import freeze_startup_heap
from core.params import load_params
from router.pipeline import TicketPreparer

# One text per scrubbed kind, in two languages: lazily loaded parts (phone metadata, spaCy pipelines)
# load here, once, in memory every worker shares.
WARM_UP_TEXTS = [
    "Hi, this is John Smith (john.smith@example.com, +1 415 555 0132): my laptop is broken.",
    "Bonjour, je suis Marie Dubois, appelez-moi au 01 23 45 67 89, mon imprimante ne marche plus.",
]

PREPARER = TicketPreparer(load_params())
PREPARER.prepare_batch(WARM_UP_TEXTS, {})
freeze_startup_heap()  # before the forks: no collector pauses on presidio's and spaCy's objects
