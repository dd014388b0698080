"""Evidence files (minh chứng) of the units' quarterly self-reports.

Kept apart from ``MEDIA_ROOT``, which the web server publishes: ``storage`` gives
the private storage and the names files are stored under. Files are only ever
served through a view that checks who asks.
"""
