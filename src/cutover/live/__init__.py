"""The live run: the board of what is happening now, the run screen and the wall screen.

Above the exports and below the CLI: it reads analyses, records through
``portfolio.actions`` and draws with textual, which only ``run`` and ``watch`` import.
"""
