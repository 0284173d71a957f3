"""Values written to CSV or XLSX files that people open in a spreadsheet."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """A cell starting with =, +, -, @ (or a tab or carriage return) would run as a formula in a
    spreadsheet (CSV injection); a leading apostrophe makes it plain text."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
