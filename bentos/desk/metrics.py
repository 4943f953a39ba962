"""The desk's Prometheus metrics (the dashboard's "Ticket desk" row reads these names).

Labels are closed sets: channels, and the model's categories (a correction to any other is refused).
"""

from prometheus_client import Counter, Gauge

TICKETS_CREATED = Counter("callcenter_desk_tickets_created", "Tickets stored by the desk, by channel", ["channel"])
CORRECTIONS = Counter(
    "callcenter_desk_corrections",
    "Reviews by (model's category, reviewer's category); equal labels are confirmations",
    ["predicted", "corrected"],
)
# The store's count after the last write of this process (and at start): one value, not one per worker.
REVIEW_QUEUE = Gauge(
    "callcenter_desk_review_queue",
    "Tickets waiting for review (flagged, not reviewed, not deleted)",
    multiprocess_mode="mostrecent",
)
