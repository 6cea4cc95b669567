"""``python -m jsna_kit.cli``: the ``jsna-kit`` command."""

from . import main

main()
