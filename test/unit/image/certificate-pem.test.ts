import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../../src/image/config/certificate.js';
import { decodePem, encodePem } from '../../../src/image/config/pem.js';
import { fixtureCertificates } from '../../kit/certificates.js';
import { shared } from '../../kit/paths.js';

const CERTS = fixtureCertificates();
const A = CERTS.get('cert-a')!;
const B = CERTS.get('cert-b')!;

/** Node's own PEM reader and fingerprint, an oracle independent of ours. */
const nodeFingerprint = (pem: string) =>
  new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();

function parsed(text: string) {
  const result = parseCertificate(text);
  if ('problem' in result) throw new Error(result.problem);
  return result;
}

const problemOf = (text: string) => {
  const result = parseCertificate(text);
  return 'problem' in result ? result.problem : undefined;
};

describe('parseCertificate (apko parseCertificates)', () => {
  it.each([...CERTS])('%s: fingerprint of the DER, PEM re-encoded as written', (_name, pem) => {
    const cert = parsed(pem);
    expect(cert.fingerprint).toBe(nodeFingerprint(pem));
    expect(cert.pem).toBe(pem);
    expect(cert.der.equals(new X509Certificate(pem).raw)).toBe(true);
  });

  it("matches apko's own test: letsencrypt staging root X1", () => {
    expect(parsed(A).fingerprint).toBe('e70570a989f8565aabdf7cae27abd1621872d6a3f811e3fef27e3dba02912198');
  });

  it('drops text around the block, CRLF line ends and odd line lengths', () => {
    expect(parsed(`# corporate root\nsubject=x\n${A}trailing words\n`).pem).toBe(A);
    expect(parsed(A.replaceAll('\n', '\r\n')).pem).toBe(A);
    const body = new X509Certificate(A).raw.toString('base64');
    const reflowed = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,40}/g)!.join('\n \t')}\n-----END CERTIFICATE-----`;
    expect(parsed(reflowed).pem).toBe(A);
  });

  it.each([
    ['empty content', '', 'no certificate data provided'],
    ['no PEM at all', 'not a certificate', 'no PEM certificate found'],
    ['two certificates', `${A}\n${B}`, 'multiple certificates found; only one is allowed'],
    [
      'a certificate then a key',
      `${A}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`,
      'multiple',
    ],
    ['bad base64 in the only block', A.replace('MIIF', 'MI!F'), 'no PEM certificate found'],
    ['base64 without padding', '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n', 'no PEM'],
    ['no END line', A.replace('-----END CERTIFICATE-----', ''), 'no PEM certificate found'],
    ['an END of another type', A.replace('END CERTIFICATE', 'END X509 CRL'), 'no PEM certificate found'],
    ['words after the END marker', A.replace(/-----\n$/, '----- x\n'), 'no PEM certificate found'],
  ])('refuses %s', (_what, text, problem) => {
    expect(problemOf(text)).toContain(problem);
  });

  it('refuses a public key, and DER that is not one whole certificate', () => {
    const key = readFileSync(shared('keys', 'melange', 'melange.rsa.pub'), 'utf8');
    expect(problemOf(key)).toBe('expected a CERTIFICATE block, got PUBLIC KEY');
    const der = new X509Certificate(A).raw;
    const block = (bytes: Buffer) => encodePem({ type: 'CERTIFICATE', headers: new Map(), bytes });
    expect(problemOf(block(der.subarray(0, der.length - 10)))).toMatch(/cut short/);
    expect(problemOf(block(Buffer.concat([der, Buffer.from([0, 0])])))).toMatch(/trailing data/);
    const broken = Buffer.from(der);
    broken[4] = 0x31; // tbsCertificate is no longer a SEQUENCE
    expect(problemOf(block(broken))).toMatch(/does not parse/);
    expect(problemOf(block(Buffer.from('hello')))).toMatch(/not a DER SEQUENCE/);
  });
});

describe("decodePem / encodePem (Go's encoding/pem)", () => {
  it('keeps headers; encodes Proc-Type first, the others sorted, then a blank line', () => {
    const text =
      '-----BEGIN MESSAGE-----\nZed: 1\nProc-Type: 4,X\n Alpha : two \n\naGVsbG8=\n-----END MESSAGE-----\n';
    const { block, rest } = decodePem(text)!;
    expect(block.type).toBe('MESSAGE');
    expect([...block.headers]).toEqual([
      ['Zed', '1'],
      ['Proc-Type', '4,X'],
      ['Alpha', 'two'],
    ]);
    expect(block.bytes.toString()).toBe('hello');
    expect(rest).toBe('');
    expect(encodePem(block)).toBe(
      '-----BEGIN MESSAGE-----\nProc-Type: 4,X\nAlpha: two\nZed: 1\n\naGVsbG8=\n-----END MESSAGE-----\n',
    );
  });

  it('an empty block, the text after a block, and the last BEGIN before an END (Go 1.26)', () => {
    const empty = decodePem('-----BEGIN E-----\n-----END E-----\nnext')!;
    expect(empty.block.bytes.length).toBe(0);
    expect(empty.rest).toBe('next');
    const twice = decodePem('-----BEGIN A-----\n-----BEGIN B-----\naGk=\n-----END B-----\n')!;
    expect(twice.block.type).toBe('B');
    expect(decodePem('-----BEGIN A-----\naGk=\n')).toBeUndefined();
    expect(decodePem('x-----BEGIN A-----\naGk=\n-----END A-----\n')).toBeUndefined();
  });

  it('after a broken block, finds the next good one', () => {
    const text = `-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n${B}`;
    expect(decodePem(text)!.block.bytes.equals(new X509Certificate(B).raw)).toBe(true);
    expect(parsed(text).pem).toBe(B);
  });
});
