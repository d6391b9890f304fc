"""Working time: durations, clock times, the minute time base, calendars and public holidays.

It knows minutes, days and zones but not plan files: the plan model uses its value types
(``Duration``, time points) and the engine its calendars. It may import only ``common``.
"""
