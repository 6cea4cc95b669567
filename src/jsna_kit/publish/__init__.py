"""publish room: write what readers get (data bundles, downloads, manifests, the overview page)
and render chapters to HTML, Word and PDF (Quarto, or pandoc and typst). See docs/architecture.md."""
