# Run by MicroPython (unix port): mount a LittleFS image file with vfs.VfsLfs2, read-only, with
# the block size given and the file's length in blocks as the block count, the way the ESP32 port
# mounts its partition; print every file as JSON {path: hex}. A wrong block count fails the mount.
import binascii
import json
import sys

import vfs

path, block_size, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
image = open(path, "rb")


class FileBlocks:
    def readblocks(self, n, buf, off=0):
        image.seek(n * block_size + off)
        image.readinto(buf)

    def writeblocks(self, n, buf, off=0):
        raise OSError(30)  # EROFS: a check only reads

    def ioctl(self, op, arg):
        if op == 4:  # block count
            return size // block_size
        if op == 5:  # block size
            return block_size
        return 0


fs = vfs.VfsLfs2(FileBlocks(), readsize=32, progsize=32, lookahead=32)
vfs.mount(fs, "/lfs", readonly=True)
out = {}


def walk(folder):
    for entry in fs.ilistdir(folder):
        name, kind = entry[0], entry[1]
        full = (folder.rstrip("/") + "/" + name).lstrip("/")
        if kind == 0x4000:
            walk("/" + full)
        else:
            with open("/lfs/" + full, "rb") as f:
                out[full] = binascii.hexlify(f.read()).decode()


walk("/")
print(json.dumps(out))
