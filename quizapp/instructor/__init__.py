"""What instructors see: class progress, item statistics, charts and CSV exports."""
