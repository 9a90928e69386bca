"""The reader: passages as clean, numbered text, alone or side by side."""
