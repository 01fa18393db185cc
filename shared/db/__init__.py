"""PostgreSQL plumbing: pools per service schema, migrations, the transactional outbox and the inbox."""
