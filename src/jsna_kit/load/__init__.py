"""load room: see docs/architecture.md."""
