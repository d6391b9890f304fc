"""``python -m cutover`` runs the command line."""

from cutover.cli import main

main()
