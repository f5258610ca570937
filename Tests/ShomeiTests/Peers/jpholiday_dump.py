"""Prints every Japanese holiday jpholiday knows for a range of years, one ISO date per line.

Usage: python3 jpholiday_dump.py FIRST_YEAR LAST_YEAR
CalendarTests compares this with JapaneseHolidays as an independent second opinion.
"""
import sys

import jpholiday

first, last = int(sys.argv[1]), int(sys.argv[2])
for year in range(first, last + 1):
    for date, _ in sorted(jpholiday.year_holidays(year)):
        print(date.isoformat())
