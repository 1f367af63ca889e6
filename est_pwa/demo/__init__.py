"""Demo data for Kumla: a pure generator of plain values and a loader into the database."""
