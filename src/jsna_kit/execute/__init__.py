"""execute room: run a chapter notebook with papermill, on a fresh kernel or on a long-lived
(warm) one reset between chapters. See docs/architecture.md."""
