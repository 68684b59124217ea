"""Background work: the outbox dispatcher, timers and settlement runs."""
