"""Use cases: open a unit of work, load with a lock, call the domain, commit with events."""
