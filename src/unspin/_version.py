"""The package version, in one place below everything that names it (no import circle)."""

__version__ = "0.1.0"
