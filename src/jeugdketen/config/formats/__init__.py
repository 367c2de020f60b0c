"""The platform's date, time and number formats per language (FORMAT_MODULE_PATH).

Dates and times are shown in Europe/Amsterdam time (TIME_ZONE), day month year, 24-hour:
Dutch "5 december 2026 23:56", English "5 December 2026 23:56" (Django's English
default would be "Dec. 5, 2026, 11:56 p.m.")."""
