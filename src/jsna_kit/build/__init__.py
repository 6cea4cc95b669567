"""build room: see docs/architecture.md."""
