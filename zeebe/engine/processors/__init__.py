"""Command processors: one function per (value type, intent), registered in `registry`."""
