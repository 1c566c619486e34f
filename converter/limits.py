"""The limits on what is read and accepted, once: sizes in bytes.

The reader (``reading.source``), the jobs and the web page's settings all take their
defaults from here, so that a limit is changed in one place.
"""

MiB = 1024 * 1024

#: A workbook file larger than this is refused before it is opened.
MAX_FILE_BYTES = 200 * MiB
#: A zipped workbook (xlsx, xlsm, ods) unpacking to more is refused (decompression bomb?).
MAX_UNPACKED_BYTES = 512 * MiB
#: Parsing one workbook may take this much memory beyond what the process holds already
#: (an 18,000-action plan needs about 150 MB); ``ATGARDSPLAN_READ_MB`` changes it.
MAX_READ_BYTES = 768 * MiB
#: ... and this long (that plan parses in about 0.1 s); ``ATGARDSPLAN_READ_SECONDS``.
MAX_READ_SECONDS = 30.0


#: After a workbook that unpacks to this much or more, memory is given back to the
#: system (``release_memory`` costs about 40 ms: a tenth of a small plan's conversion).
RELEASE_AFTER_BYTES = 4 * MiB


def release_memory() -> None:
    """Give the memory of what was just dropped back to the system: a collection, then
    glibc's ``malloc_trim`` (elsewhere the collection alone). Between one workbook and
    the next, a server so stays near its resting size instead of its peak."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return
    trim(0)
