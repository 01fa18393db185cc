"""The platform's service layer: plain async functions over the pool."""
