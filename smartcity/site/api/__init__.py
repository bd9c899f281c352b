"""The REST API (``/api/v1/``): a read over every app's objects, in the top
layer because it knows them all (ARCHITECTURE.md)."""
