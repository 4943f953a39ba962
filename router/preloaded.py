"""Importing this module builds the ticket preparer (presidio, spaCy, lingua: seconds, once).

The scrub pool's forkserver imports it before forking any worker (`router.prepare_pool`), so every
worker starts with the preparer built and shares its memory. Nothing else should import it.
"""

from core.params import load_params
from router.pipeline import TicketPreparer

PREPARER = TicketPreparer(load_params())
