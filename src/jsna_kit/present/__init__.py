"""present room: see docs/architecture.md."""
