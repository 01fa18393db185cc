"""Service layer: the two event handlers with their join, and the email sender loop."""
