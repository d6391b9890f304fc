"""Renderers: schedules and findings as terminal views, JSON, CSV and CI formats.

They read the core's results and never change them; the core never imports them.
"""
