"""Sketch files in: stroke formats, magenta ``.npz`` datasets, Quick, Draw! ndjson, downloads with offline fallback."""
