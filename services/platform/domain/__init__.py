"""The platform's pure model: version labels and history, display formatting, throttling rule, messages."""
