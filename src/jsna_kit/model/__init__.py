"""model room: see docs/architecture.md."""
