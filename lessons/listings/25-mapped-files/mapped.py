# A helper of lessons/25-mapped-files.md: maps a regular file with mmap
# (MAP_SHARED) and writes to it or reads from it. Node has no mmap of a file,
# and Python's mmap module is a thin layer over mmap(2) and msync(2).
#
#   python3 mapped.py write FILE TEXT   map, store TEXT at offset 0, say
#                                       "written", wait for a line on stdin, msync
#   python3 mapped.py read FILE         map, print the text at offset 0
import mmap
import sys

command, path = sys.argv[1], sys.argv[2]
with open(path, "r+b") as file:
    pages = mmap.mmap(file.fileno(), 0, flags=mmap.MAP_SHARED)  # the file's pages in the page cache
    if command == "write":
        text = sys.argv[3].encode()
        pages[0 : len(text)] = text  # a plain store into memory: no write(2)
        print("written", flush=True)
        sys.stdin.readline()  # keep the mapping while the reader looks: no msync yet
        pages.flush()  # msync(2): to the disk now, not only to the page cache
    else:
        print(pages[:].split(b"\0", 1)[0].decode())
    pages.close()  # munmap(2)
