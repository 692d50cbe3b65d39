/**
 * PEM blocks as Go's `encoding/pem` reads and writes them (apko parses inline certificates
 * with it): the next `-----BEGIN T-----` at the start of a line, `Key: Value` headers, base64
 * with spaces, tabs and line breaks ignored, then `-----END T-----`. A block that fails any of
 * those is skipped and the search goes on after its BEGIN line. Encoding writes 64-column
 * base64 lines, `Proc-Type` first and the other headers sorted.
 */

/** One decoded PEM block. */
export interface PemBlock {
  readonly type: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly bytes: Buffer;
}

const BEGIN = '-----BEGIN ';
const END = '\n-----END ';
const DASHES = '-----';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The first line (without `\r\n` or `\n` and trailing spaces or tabs), what follows, and how much was read. */
function getLine(data: string): [string, string, number] {
  let i = data.indexOf('\n');
  let j: number;
  if (i < 0) {
    i = data.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === '\r') i--;
  }
  return [data.slice(0, i).replace(/[ \t]+$/, ''), data.slice(j), j];
}

/**
 * The next PEM block in `text` and the text after it, or undefined when there is none. Like Go
 * 1.26, the first END line is found, then the last BEGIN line before it.
 */
export function decodePem(text: string): { block: PemBlock; rest: string } | undefined {
  let rest = text;
  let skip = 0;
  for (let first = true; ; first = false) {
    // After a failed block, go on past its END marker (always forward: Go would index out of
    // range on some malformed inputs).
    if (!first) rest = rest.slice(Math.max(skip, 1));
    let endIndex = rest.indexOf(END);
    if (endIndex < 0) return undefined;
    skip = endIndex + END.length;
    const beginIndex = rest.slice(0, endIndex).lastIndexOf(BEGIN);
    if (beginIndex < 0 || (beginIndex > 0 && rest[beginIndex - 1] !== '\n')) continue;
    const cut = beginIndex + BEGIN.length;
    rest = rest.slice(cut);
    endIndex -= cut;
    skip -= cut;
    const [typeLine, afterType, typeLength] = getLine(rest);
    rest = afterType;
    if (!typeLine.endsWith(DASHES)) continue;
    endIndex -= typeLength;
    skip -= typeLength;
    const type = typeLine.slice(0, -DASHES.length);
    const headers = new Map<string, string>();
    for (;;) {
      if (rest === '') return undefined;
      const [line, next, length] = getLine(rest);
      const colon = line.indexOf(':');
      if (colon < 0) break;
      headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      rest = next;
      endIndex -= length;
      skip -= length;
    }
    if ((headers.size > 0 && endIndex < 0) || skip < 0) continue;
    const trailer = rest.slice(skip);
    const trailerLength = type.length + DASHES.length;
    if (trailer.slice(0, trailerLength) !== `${type}${DASHES}`) continue;
    if (getLine(trailer.slice(trailerLength))[0] !== '') continue;
    let bytes = Buffer.alloc(0);
    if (endIndex > 0) {
      const base64 = rest.slice(0, endIndex).replace(/[ \t\r\n]/g, '');
      if (!BASE64.test(base64)) continue;
      bytes = Buffer.from(base64, 'base64');
    }
    const [, after] = getLine(rest.slice(endIndex + END.length - 1));
    return { block: { type, headers, bytes }, rest: after };
  }
}

/** Go's `pem.Encode`: the block with 64-column base64 lines and a final newline. */
export function encodePem(block: PemBlock): string {
  let out = `${BEGIN}${block.type}${DASHES}\n`;
  if (block.headers.size > 0) {
    const procType = block.headers.get('Proc-Type');
    if (procType !== undefined) out += `Proc-Type: ${procType}\n`;
    const keys = [...block.headers.keys()].filter((k) => k !== 'Proc-Type').sort(compareUtf8);
    for (const key of keys) out += `${key}: ${block.headers.get(key)}\n`;
    out += '\n';
  }
  const base64 = block.bytes.toString('base64');
  for (let i = 0; i < base64.length; i += 64) out += `${base64.slice(i, i + 64)}\n`;
  return `${out}${END.slice(1)}${block.type}${DASHES}\n`;
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
