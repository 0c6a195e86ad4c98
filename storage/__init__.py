"""Persistence of teams, rounds, events and the outbox (SQLAlchemy 2)."""
