"""Input models: what clients may send, validated before any service runs."""
