"""SQLite, the embedded default, made to compare text as PostgreSQL does.

SQLite's own LOWER() and LIKE only know ASCII: "RÉGIE" and "régie" would be
two partners, and "réseaux" would not find "RÉSEAUX". Each new SQLite
connection gets a Unicode LOWER() (which the case-insensitive unique
constraints use) and ORCHESTRE_FOLD() (lower case without accents, for the
pickers' search, as PostgreSQL's translate() does there)."""

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "Énergie" → "energie"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _null_safe(function):
    return lambda value: None if value is None else function(value)


def add_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("LOWER", 1, _null_safe(str.lower), deterministic=True)
    raw.create_function("ORCHESTRE_FOLD", 1, _null_safe(fold), deterministic=True)
