/**
 * Java KeyStore (JKS) files, as apko edits `/etc/ssl/certs/java/cacerts` with keystore-go v4
 * (`WithOrderedAliases`): magic 0xFEEDFEED, version, entry count, entries (tag 1 a private key
 * kept as encrypted bytes, tag 2 a trusted certificate; alias as a u16-prefixed string, creation
 * time in milliseconds as u64, certificates as type string + u32-prefixed DER), then the SHA-1
 * of (password as UTF-16BE, "Mighty Aphrodite", everything before it). Written back as version
 * 2 with aliases in byte order.
 */
import { createHash } from 'node:crypto';
import { LarderError } from '../../core/index.js';

/** A certificate inside an entry; `type` is `X.509` (version 1 stores had none: `X509`). */
export interface JksCertificate {
  readonly type: string;
  readonly der: Buffer;
}

export type JksEntry =
  | { readonly kind: 'trusted'; readonly millis: bigint; readonly certificate: JksCertificate }
  | {
      readonly kind: 'key';
      readonly millis: bigint;
      readonly encryptedKey: Buffer;
      readonly chain: readonly JksCertificate[];
    };

/** Entries by alias; aliases are latin1 strings so that their bytes survive unchanged. */
export type JksStore = Map<string, JksEntry>;

const MAGIC = 0xfeedfeed;
const WHITENER = Buffer.from('Mighty Aphrodite');

function passwordDigest(password: string): ReturnType<typeof createHash> {
  const bytes = Buffer.from(password, 'latin1');
  const wide = Buffer.alloc(bytes.length * 2);
  for (const [i, b] of bytes.entries()) wide[i * 2 + 1] = b;
  return createHash('sha1').update(wide).update(WHITENER);
}

/**
 * Reads a JKS store, checking its integrity digest with `password`.
 * @throws LarderError PACKAGE_INVALID naming `name`: not a JKS file, truncated, unknown entry
 *   tag or version, or a digest that does not match.
 */
export function readJks(data: Buffer, password: string, name: string): JksStore {
  let at = 0;
  const need = (n: number): number => {
    if (at + n > data.length) throw bad(name, `truncated at byte ${at}`);
    const start = at;
    at += n;
    return start;
  };
  const u16 = () => data.readUInt16BE(need(2));
  const u32 = () => data.readUInt32BE(need(4));
  const u64 = () => data.readBigUInt64BE(need(8));
  const bytes = (n: number) => {
    const start = need(n);
    return Buffer.from(data.subarray(start, start + n));
  };
  const text = () => bytes(u16()).toString('latin1');
  if (u32() !== MAGIC) throw bad(name, 'not a Java KeyStore (JKS) file');
  const version = u32();
  const certificate = (): JksCertificate => {
    if (version !== 1 && version !== 2) throw bad(name, `unknown JKS version ${version}`);
    const type = version === 1 ? 'X509' : text();
    return { type, der: bytes(u32()) };
  };
  const store: JksStore = new Map();
  const count = u32();
  for (let i = 0; i < count; i++) {
    const tag = u32();
    const alias = text();
    if (tag === 1) {
      const millis = u64();
      const encryptedKey = bytes(u32());
      const chain = Array.from({ length: u32() }, certificate);
      store.set(alias, { kind: 'key', millis, encryptedKey, chain });
    } else if (tag === 2) {
      const millis = u64();
      store.set(alias, { kind: 'trusted', millis, certificate: certificate() });
    } else throw bad(name, `entry ${i} has the unknown tag ${tag}`);
  }
  const expected = passwordDigest(password).update(data.subarray(0, at)).digest();
  if (!bytes(20).equals(expected))
    throw bad(name, 'the keystore digest does not match (wrong password or altered file)');
  return store;
}

/** Writes a JKS store (version 2, aliases in byte order) signed with `password`. */
export function writeJks(store: JksStore, password: string): Buffer {
  const parts: Buffer[] = [];
  const u16 = (n: number) => parts.push(Buffer.from([n >> 8, n & 0xff]));
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    parts.push(b);
  };
  const u64 = (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(n);
    parts.push(b);
  };
  const text = (s: string) => {
    const b = Buffer.from(s, 'latin1');
    u16(b.length);
    parts.push(b);
  };
  const certificate = (c: JksCertificate) => {
    text(c.type);
    u32(c.der.length);
    parts.push(c.der);
  };
  u32(MAGIC);
  u32(2);
  u32(store.size);
  for (const alias of [...store.keys()].sort()) {
    const entry = store.get(alias)!;
    u32(entry.kind === 'key' ? 1 : 2);
    text(alias);
    u64(entry.millis);
    if (entry.kind === 'trusted') certificate(entry.certificate);
    else {
      u32(entry.encryptedKey.length);
      parts.push(entry.encryptedKey);
      u32(entry.chain.length);
      entry.chain.forEach(certificate);
    }
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, passwordDigest(password).update(body).digest()]);
}

function bad(name: string, why: string): LarderError {
  return new LarderError('PACKAGE_INVALID', `${name}: cannot load the Java truststore: ${why}`, {
    subject: name,
  });
}
