"""Portal-wide data: the visit counter."""
