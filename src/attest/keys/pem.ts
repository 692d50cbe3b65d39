import { LarderError } from '../../core/index.js';

/** One PEM block: its label and the base64-decoded body. */
export interface PemBlock {
  readonly label: string;
  readonly body: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END ([A-Z0-9 ]+)-----/;

/** The first PEM block in `text`; KEY_INVALID when there is none or it is malformed. */
export function readPemBlock(text: string, subject?: string): PemBlock {
  const where = subject === undefined ? {} : { subject };
  const m = BLOCK.exec(text);
  if (m === null) throw new LarderError('KEY_INVALID', 'not a PEM file: no BEGIN/END block found', where);
  const [, label = '', rawBody = '', endLabel = ''] = m;
  if (label !== endLabel) {
    throw new LarderError('KEY_INVALID', `PEM block BEGIN ${label} ends with END ${endLabel}`, where);
  }
  const body = rawBody.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw new LarderError('KEY_INVALID', `PEM block ${label}: the body is not base64`, where);
  }
  return { label, body: Buffer.from(body, 'base64') };
}
