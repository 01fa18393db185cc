"""Pure model of the notifier: who wants the completion email, what was published, when to retry."""
