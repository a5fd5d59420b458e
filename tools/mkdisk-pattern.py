# SPDX-License-Identifier: BSD-2-Clause
# Writes the virtio-blk test disk: SIZE bytes where byte i is (i * 7 + i // 512) & 0xff.
"""Usage: mkdisk-pattern.py OUT SIZE. The guests check reads against the same formula
(test_disk_byte in guest/baremetal/lib/virtio.h): within a sector the bytes step by 7, and
each sector is offset by its number, so a wrong sector or offset shows."""

import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, size = sys.argv[1], int(sys.argv[2], 0)
    data = bytes((i * 7 + i // 512) & 0xFF for i in range(size))
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
