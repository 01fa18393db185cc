"""Transport to service layer: the notifier has subscribers only (no HTTP edge)."""
