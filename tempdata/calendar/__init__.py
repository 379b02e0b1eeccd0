"""Calendars by country: public holidays (national and by state), weekends, shop
opening rules, retail events and the monthly rhythm of retail sales.

Every table comes from ``reference_data/`` (see ``SOURCES.md``): the ``holidays``
package's rules for holidays and weekends, and published extracts under
``scripts/sources/calendars/`` for the rest.
"""

from tempdata.calendar.holidays import (
    HolidayCalendar,
    business_days,
    holiday_calendar,
    public_holidays,
    roll,
)

__all__ = ["HolidayCalendar", "business_days", "holiday_calendar", "public_holidays", "roll"]
