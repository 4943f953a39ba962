"""Model runtimes: a stored artifact in, class probabilities out. No MLflow, no training code.

The BentoML services, the routing tuner, the gate's re-score and benchmarks all run models through here.
"""
