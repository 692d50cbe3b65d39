import { describe, expect, it } from 'vitest';
import {
  generateEcdsaP256Key,
  imageSubject,
  loadVerifyingKey,
  makeStatement,
  parseEnvelope,
  parseStatement,
  predicateTypeFor,
  serializeEnvelope,
  serializeStatement,
  signEnvelope,
  signStatement,
  slsaProvenanceV1,
  verifyAttestation,
} from '../../../src/attest/index.js';
import { failure } from './failure.js';
import { VECTOR_DIGEST, VECTOR_PUB, VECTOR_STATEMENT, VECTOR_STATEMENT_SIG } from './vectors.js';

const REPO = 'registry.example.com/team/app';
const OTHER = `sha256:${'1'.repeat(64)}`;

describe('in-toto statements', () => {
  it('serializes the spec example byte for byte', () => {
    const s = makeStatement([imageSubject(REPO, VECTOR_DIGEST)], 'https://sigstore.dev/cosign/sign/v1');
    expect(serializeStatement(s).toString()).toBe(VECTOR_STATEMENT);
    expect(serializeStatement(s).length).toBe(252);
  });

  it('maps cosign --type names to predicate URIs', () => {
    expect(predicateTypeFor('slsaprovenance1')).toBe('https://slsa.dev/provenance/v1');
    expect(predicateTypeFor('slsaprovenance')).toBe('https://slsa.dev/provenance/v0.2');
    expect(predicateTypeFor('spdxjson')).toBe('https://spdx.dev/Document');
    expect(predicateTypeFor('spdx')).toBe('https://spdx.dev/Document');
    expect(predicateTypeFor('cyclonedx')).toBe('https://cyclonedx.org/bom');
    expect(predicateTypeFor('openvex')).toBe('https://openvex.dev/ns');
    expect(predicateTypeFor('vuln')).toBe('https://cosign.sigstore.dev/attestation/vuln/v1');
    expect(predicateTypeFor('custom')).toBe('https://cosign.sigstore.dev/attestation/v1');
    expect(predicateTypeFor('https://example.com/p/v1')).toBe('https://example.com/p/v1');
    expect(failure(() => predicateTypeFor('sbom'))).toMatch(
      /^USAGE: predicate type 'sbom': use a URI or one of slsaprovenance1,/,
    );
  });

  it('refuses statements without subjects or digests', () => {
    expect(failure(() => makeStatement([], 'x'))).toBe('STATEMENT_INVALID: in-toto statement: no subject');
    expect(failure(() => makeStatement([{ name: 'a' }], 'x'))).toBe(
      'STATEMENT_INVALID: in-toto statement: subject[0] has no digest',
    );
    expect(failure(() => imageSubject(REPO, 'sha256:ABC'))).toMatch(/^USAGE: manifest digest 'sha256:ABC'/);
  });

  const broken: [string, string, string][] = [
    ['not JSON', 'nope', 'not JSON'],
    ['wrong _type', '{"_type":"x"}', "_type 'x' is not an in-toto Statement"],
    [
      'no subject',
      '{"_type":"https://in-toto.io/Statement/v1","subject":[]}',
      'subject is not a non-empty array',
    ],
    [
      'subject without digest',
      '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a"}]}',
      'subject[0] has no digest map',
    ],
    [
      'digest value not a string',
      '{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":1}}]}',
      'subject[0].digest.sha256 is not a string',
    ],
    [
      'no predicateType',
      '{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{}}]}',
      'predicateType is not a string',
    ],
    [
      'predicate array',
      '{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{}}],"predicateType":"p","predicate":[]}',
      'predicate is not an object',
    ],
  ];
  for (const [name, text, reason] of broken) {
    it(`refuses a broken statement: ${name}`, () => {
      expect(failure(() => parseStatement(Buffer.from(text)))).toBe(
        `STATEMENT_INVALID: in-toto statement: ${reason}`,
      );
    });
  }

  it('reads cosign legacy v0.1 statements', () => {
    const text = VECTOR_STATEMENT.replace('Statement/v1', 'Statement/v0.1');
    expect(parseStatement(Buffer.from(text))._type).toBe('https://in-toto.io/Statement/v0.1');
  });
});

describe('attestations', () => {
  it('verifies the spec vector envelope against the image digest', () => {
    const env = {
      payloadType: 'application/vnd.in-toto+json',
      payload: Buffer.from(VECTOR_STATEMENT).toString('base64'),
      signatures: [{ keyid: '', sig: VECTOR_STATEMENT_SIG }],
    };
    const s = verifyAttestation(env, [loadVerifyingKey(VECTOR_PUB)], {
      manifestDigest: VECTOR_DIGEST,
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
    });
    expect(s.subject[0]?.name).toBe(REPO);
  });

  it('signs a provenance statement; tampering, other key, other digest, other type all fail clearly', () => {
    const key = generateEcdsaP256Key();
    const predicate = slsaProvenanceV1({
      builderId: 'https://larder.dev/builder/v1',
      buildType: 'https://larder.dev/build/image/v1',
      externalParameters: { config: 'apko.yaml' },
    });
    const statement = makeStatement(
      [imageSubject(REPO, VECTOR_DIGEST)],
      predicateTypeFor('slsaprovenance1'),
      predicate,
    );
    const env = parseEnvelope(serializeEnvelope(signStatement(key, statement)));
    expect(
      verifyAttestation(env, [key], {
        manifestDigest: VECTOR_DIGEST,
        predicateType: 'https://slsa.dev/provenance/v1',
      }),
    ).toEqual(statement);
    const tampered = {
      ...env,
      payload: serializeStatement({ ...statement, predicate: {} }).toString('base64'),
    };
    expect(failure(() => verifyAttestation(tampered, [key], { manifestDigest: VECTOR_DIGEST }))).toMatch(
      /^SIGNATURE_BAD: none of the envelope's 1 signature/,
    );
    expect(
      failure(() => verifyAttestation(env, [generateEcdsaP256Key()], { manifestDigest: VECTOR_DIGEST })),
    ).toMatch(/^SIGNATURE_BAD: none of the envelope's/);
    expect(failure(() => verifyAttestation(env, [key], { manifestDigest: OTHER }))).toBe(
      `SIGNATURE_BAD: the attestation is signed but none of its subjects has digest ${OTHER}`,
    );
    expect(
      failure(() =>
        verifyAttestation(env, [key], {
          manifestDigest: VECTOR_DIGEST,
          predicateType: 'https://openvex.dev/ns',
        }),
      ),
    ).toBe(
      "SIGNATURE_BAD: the attestation's predicate type is https://slsa.dev/provenance/v1, not https://openvex.dev/ns",
    );
    const json = signEnvelope(key, 'application/json', serializeStatement(statement));
    expect(failure(() => verifyAttestation(json, [key], { manifestDigest: VECTOR_DIGEST }))).toMatch(
      /^ENVELOPE_INVALID: DSSE envelope: payloadType 'application\/json'/,
    );
    const notStatement = signEnvelope(key, 'application/vnd.in-toto+json', Buffer.from('{"_type":"other"}'));
    expect(failure(() => verifyAttestation(notStatement, [key], { manifestDigest: VECTOR_DIGEST }))).toBe(
      "STATEMENT_INVALID: in-toto statement: _type 'other' is not an in-toto Statement",
    );
  });
});

describe('SLSA provenance v1 predicate', () => {
  const base = {
    builderId: 'https://larder.dev/builder/v1',
    buildType: 'https://larder.dev/build/image/v1',
    externalParameters: { config: 'apko.yaml', arch: ['x86_64'] },
  };

  it('writes only the required fields when given only those', () => {
    expect(slsaProvenanceV1(base)).toEqual({
      buildDefinition: { buildType: base.buildType, externalParameters: base.externalParameters },
      runDetails: { builder: { id: base.builderId } },
    });
  });

  it('takes both timestamps from SOURCE_DATE_EPOCH and lists dependencies', () => {
    const p = slsaProvenanceV1({
      ...base,
      resolvedDependencies: [
        { uri: 'git+https://example.com/repo@refs/heads/main', digest: { gitCommit: 'a'.repeat(40) } },
        {
          uri: 'https://packages.example.com/x86_64/busybox-1.36.1-r0.apk',
          digest: { sha256: 'b'.repeat(64) },
        },
      ],
      invocationId: 'run-1',
      startedOn: new Date('2030-01-01T00:00:00Z'),
      finishedOn: new Date('2030-01-01T00:10:00.500Z'),
      sourceDateEpoch: '1700000000',
      builderVersion: { larder: '0.1.0' },
    });
    expect(p.runDetails).toEqual({
      builder: { id: base.builderId, version: { larder: '0.1.0' } },
      metadata: {
        invocationId: 'run-1',
        startedOn: '2023-11-14T22:13:20Z',
        finishedOn: '2023-11-14T22:13:20Z',
      },
    });
    expect((p.buildDefinition as Record<string, unknown>).resolvedDependencies).toHaveLength(2);
    const clock = slsaProvenanceV1({
      ...base,
      startedOn: new Date('2030-01-01T00:00:00Z'),
      finishedOn: new Date('2030-01-01T00:10:00.500Z'),
    });
    expect(clock.runDetails).toEqual({
      builder: { id: base.builderId },
      metadata: { startedOn: '2030-01-01T00:00:00Z', finishedOn: '2030-01-01T00:10:00Z' },
    });
  });

  it('refuses bad inputs', () => {
    expect(failure(() => slsaProvenanceV1({ ...base, sourceDateEpoch: '1.5' }))).toBe(
      "USAGE: SOURCE_DATE_EPOCH '1.5': not a whole number of seconds",
    );
    expect(failure(() => slsaProvenanceV1({ ...base, builderId: 'larder' }))).toBe(
      "USAGE: provenance builderId 'larder': not a URI",
    );
    expect(failure(() => slsaProvenanceV1({ ...base, resolvedDependencies: [{ name: 'x' }] }))).toBe(
      'USAGE: provenance resolvedDependencies[0]: needs uri, digest or content',
    );
  });
});
