"""Flashcards: spaced-repetition scheduling with FSRS, review statistics and export to Anki."""
