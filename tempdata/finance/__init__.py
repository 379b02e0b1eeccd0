"""Financial reference data: listed companies, exchanges and their trading calendars."""
