"""What every layer shares: located diagnostics and errors, and safe file writing.

The bottom of the flow. It imports nothing else of cutover, so any module may import it.
"""
