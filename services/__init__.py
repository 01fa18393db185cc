"""The four services; each owns its own PostgreSQL schema and talks to the others only through events."""
