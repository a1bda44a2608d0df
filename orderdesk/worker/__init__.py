"""The worker: claims outbox rows and carries them out (scheduled jobs now; webhooks and email next)."""
