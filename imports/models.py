"""File import and export of units, criteria, registrations and progress (CONTRACT §1)."""
