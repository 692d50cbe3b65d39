import { describe, expect, it } from 'vitest';
import { composeImage, encodeJson, jsonBlob, platformFor, sha256Digest } from '../../../src/oci/index.js';
import { rejectsWith } from './helpers.js';

describe('encodeJson', () => {
  it('orders known fields as the image-spec structs do and the rest by bytes', () => {
    const manifest = {
      annotations: { b: '2', a: '1' },
      zz: 1,
      layers: [],
      config: { size: 2, digest: 'sha256:x', mediaType: 'm' },
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      aa: true,
      schemaVersion: 2,
    };
    expect(encodeJson(manifest)).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",' +
        '"config":{"mediaType":"m","digest":"sha256:x","size":2},"layers":[],"annotations":{"a":"1","b":"2"},' +
        '"aa":true,"zz":1}',
    );
  });

  it('sorts map members by UTF-8 bytes even when keys look like field names or integers', () => {
    const labels = { size: 'x', '10': 'a', '9': 'b', é: 'c', z: 'd', mediaType: 'e' };
    expect(encodeJson({ annotations: labels })).toBe(
      '{"annotations":{"10":"a","9":"b","mediaType":"e","size":"x","z":"d","é":"c"}}',
    );
  });

  it('does not depend on how an object was built', () => {
    const a = {
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: ['d'] },
      created: 't',
    };
    const b = {
      created: 't',
      rootfs: { diff_ids: ['d'], type: 'layers' },
      os: 'linux',
      architecture: 'amd64',
    };
    expect(encodeJson(a)).toBe(encodeJson(b));
    expect(encodeJson(a)).toBe(
      '{"created":"t","architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["d"]}}',
    );
  });

  it('leaves out undefined members, escapes like JSON.stringify and refuses non-finite numbers', async () => {
    expect(encodeJson({ a: undefined, b: 'q"\n\u2028' })).toBe(JSON.stringify({ b: 'q"\n\u2028' }));
    await rejectsWith(() => encodeJson({ size: Number.NaN }), 'USAGE');
  });

  it('gives stable digests: a golden config and manifest', () => {
    const image = composeImage({
      platform: platformFor('aarch64'),
      config: {
        created: '2024-01-01T00:00:00Z',
        config: { Env: ['PATH=/usr/bin'], Entrypoint: ['/bin/sh'] },
      },
      layers: [
        {
          bytes: Buffer.from('layer'),
          digest: sha256Digest(Buffer.from('layer')),
          size: 5,
          diffId: 'sha256:ab',
        },
      ],
    });
    expect(image.config.bytes.toString()).toBe(
      '{"created":"2024-01-01T00:00:00Z","architecture":"arm64","os":"linux",' +
        '"config":{"Env":["PATH=/usr/bin"],"Entrypoint":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:ab"]}}',
    );
    expect(image.config.digest).toBe(sha256Digest(image.config.bytes));
    expect(jsonBlob(JSON.parse(image.manifest.bytes.toString())).digest).toBe(image.manifest.digest);
    expect(image.manifest.digest).toMatchInlineSnapshot(
      `"sha256:7d1c08c355c6b72ff481460c802a8584698601509449a37287fe7dfb085d05ca"`,
    );
  });
});
