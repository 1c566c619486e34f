"""The limits on what is read and accepted, once: sizes in bytes.

The reader (``reading.source``), the jobs and the web page's settings all take their
defaults from here, so that a limit is changed in one place.
"""

MiB = 1024 * 1024

#: A workbook file larger than this is refused before it is opened.
MAX_FILE_BYTES = 200 * MiB
#: A zipped workbook (xlsx, xlsm, ods) unpacking to more is refused (decompression bomb?).
MAX_UNPACKED_BYTES = 512 * MiB
