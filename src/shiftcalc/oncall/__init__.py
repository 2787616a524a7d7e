"""The ``oncall`` profile: Grafana OnCall's engine, quirks included.

* :mod:`.generation`: shift → the VEVENTs OnCall writes (the rotation queue, §2.5–§2.9);
* :mod:`.search`: the period search of that generation and its jumps over ineligible periods;
* :mod:`.occurrences`: VEVENT → occurrences as recurring-ical-events 2.1.0 + pytz yield them,
  the one expansion of the profile (generated VEVENTs and iCal schedules alike);
* :mod:`.resolution`: occurrence records → final events, gaps and rows (§3).
"""
