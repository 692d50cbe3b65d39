import { createInflateRaw, type InflateRaw } from 'node:zlib';

/** What one `feed` did: input bytes the deflate stream used and the output it produced. */
export interface InflateStep {
  readonly consumed: number;
  readonly output: Buffer[];
}

/**
 * An incremental raw inflater that reports how much of each piece of input belonged to the
 * deflate stream. zlib stops consuming input at the end of the stream and `bytesWritten` counts
 * what it used, so `consumed < piece.length` (or 0 for a piece fed after a stream that ended
 * exactly at a piece boundary) means the stream has ended and the rest of the piece is not ours.
 */
export class RawInflater {
  private readonly stream: InflateRaw = createInflateRaw();
  private output: Buffer[] = [];
  private failure: Error | undefined;

  constructor() {
    this.stream.on('data', (bytes: Buffer) => this.output.push(bytes));
    // A permanent listener: an 'error' with no listener would crash the process.
    this.stream.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  /** Inflates `piece`; rejects with zlib's error when the deflate data is invalid. */
  async feed(piece: Buffer): Promise<InflateStep> {
    if (this.failure) throw this.failure;
    const before = this.stream.bytesWritten;
    await new Promise<void>((resolve, reject) => {
      // zlib reports a data error by destroying the stream, and the write callback may then
      // never run: listen for the error too so that a corrupt body cannot hang the reader.
      const onError = (err: Error): void => reject(err);
      this.stream.once('error', onError);
      this.stream.write(piece, (err) => {
        this.stream.off('error', onError);
        if (err) reject(err);
        else resolve();
      });
    });
    // 'data' events can trail the write callback when the readable side had buffered output.
    while (this.stream.readableLength > 0 && !this.failure) await new Promise(setImmediate);
    if (this.failure) throw this.failure;
    const output = this.output;
    this.output = [];
    return { consumed: this.stream.bytesWritten - before, output };
  }

  /** Releases zlib's memory; the inflater cannot be used afterwards. */
  close(): void {
    this.stream.destroy();
  }
}
