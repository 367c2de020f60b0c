"""Dutch: Django's own Dutch formats, said here so that both languages are in one place."""

DATE_FORMAT = "j F Y"  # 5 december 2026
TIME_FORMAT = "H:i"  # 23:56
DATETIME_FORMAT = "j F Y H:i"  # 5 december 2026 23:56
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j-n-Y"  # 5-12-2026
SHORT_DATETIME_FORMAT = "j-n-Y H:i"  # 5-12-2026 23:56
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
