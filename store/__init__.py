"""The ticket desk's store: triaged tickets (scrubbed text only), corrections, feedback events, chat sessions.

SQLAlchemy 2 models, Alembic migrations, one transaction per request. SQLite (WAL) by default,
PostgreSQL by URL. Plain Python: never imports BentoML, the agent's brain or training.
"""
