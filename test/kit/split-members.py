# Independent of larder: splits a file into its gzip members with Python's zlib and writes
# member-N.gz and member-N.tar (inflated) into OUTDIR. Usage: split-members.py FILE OUTDIR
import sys, zlib, os
data = open(sys.argv[1], 'rb').read()
out = sys.argv[2]
i = 0
while data:
    d = zlib.decompressobj(31)
    inflated = d.decompress(data) + d.flush()
    if not d.eof:
        sys.exit('truncated gzip member')
    used = len(data) - len(d.unused_data)
    open(os.path.join(out, f'member-{i}.gz'), 'wb').write(data[:used])
    open(os.path.join(out, f'member-{i}.tar'), 'wb').write(inflated)
    data = d.unused_data
    i += 1
print(i)
