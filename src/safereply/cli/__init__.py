"""Command-line entry points (`safereply ...`)."""
