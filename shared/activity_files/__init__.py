"""Activity files from watches and apps (FIT, GPX, TCX): read, summarised, rated.

`read_activity_file(name, data)` recognises the format from the content (not the name),
decodes it (`fit.py` with fitdecode, `gpx.py` with gpxpy, `tcx.py` with the standard XML
parser) into a `Recording`, and `summarise` derives the activity: its date, sport,
duration, distance, average pace, heart rate and power, and its load (`load.py`). A file
that cannot be read raises `ActivityFileError` naming the file and the reason.
"""

from shared.activity_files.load import rate_recording
from shared.activity_files.read import (
    FORMATS,
    ActivityFileError,
    FileActivity,
    read_activity_file,
    summarise,
)
from shared.activity_files.recording import Recording

__all__ = [
    "FORMATS",
    "ActivityFileError",
    "FileActivity",
    "Recording",
    "rate_recording",
    "read_activity_file",
    "summarise",
]
