"""The picks themselves: reading, validating, rendering and ordering them; no output format, no network."""
