"""I/O of the notifier: its PostgreSQL tables, the email outbox, Jinja2 templates, MIME and SMTP."""
