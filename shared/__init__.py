"""What the four services really share: event contracts, broker topology, outbox/inbox, settings, logging, Japanese formatting."""
