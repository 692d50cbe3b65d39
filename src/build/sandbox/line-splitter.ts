/** A line longer than this is passed on in pieces of this many bytes, so memory stays bounded. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Cuts a byte stream into lines at `\n` (bytes, so a UTF-8 character split across chunks stays
 * whole) and hands each to `emit` without its newline; `end()` passes on a last unterminated line.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly emit: (text: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      this.add(chunk.subarray(start, nl));
      this.flush();
      start = nl + 1;
    }
    if (start < chunk.length) this.add(chunk.subarray(start));
  }

  end(): void {
    if (this.pendingBytes > 0) this.flush();
  }

  private add(bytes: Buffer): void {
    let rest = bytes;
    while (this.pendingBytes + rest.length > MAX_LINE_BYTES) {
      const room = MAX_LINE_BYTES - this.pendingBytes;
      this.pending.push(rest.subarray(0, room));
      this.pendingBytes += room;
      this.flush();
      rest = rest.subarray(room);
    }
    if (rest.length > 0) {
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
  }

  private flush(): void {
    const line = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(line.toString('utf8'));
  }
}
