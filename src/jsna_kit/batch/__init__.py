"""batch room: choose the areas, gather the model's inputs, plan each chapter, hand the chapters
to worker processes, keep the cache and write the build report. One area is a batch of one. See
docs/architecture.md."""
