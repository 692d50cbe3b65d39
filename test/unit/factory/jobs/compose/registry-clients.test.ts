import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../../src/core/index.js';
import { registryClients } from '../../../../../src/factory/jobs/compose/index.js';
import { startFakeRegistry } from '../../../../kit/fake-registry.js';

describe('registryClients', () => {
  it('sends larder.yaml credentials, the password read from password-env', async () => {
    const registry = await startFakeRegistry({ auth: 'basic', users: { ci: 's3cret' } });
    const ok = registryClients(
      { [registry.host]: { insecure: true, username: 'ci', passwordEnv: 'REG_PW' } },
      { REG_PW: 's3cret' },
    );
    const denied = registryClients({}, {});
    try {
      await ok.forHost(registry.host).ping(registry.host);
      expect(ok.forHost(registry.host)).toBe(ok.forHost(registry.host));
      expect(registry.requests.at(-1)?.authorization).toBe(
        `Basic ${Buffer.from('ci:s3cret').toString('base64')}`,
      );
      const err = await denied
        .forHost(registry.host)
        .ping(registry.host)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isLarderError(err), String(err)).toBe(true);
    } finally {
      await ok.close();
      await denied.close();
      await registry.close();
    }
  });

  it('refuses a username whose password variable is unset or empty, naming the host and variable', () => {
    const clients = registryClients(
      {
        'reg.example:5000': { insecure: false, username: 'ci', passwordEnv: 'REG_PW' },
        'other.example': { insecure: false, username: 'ci' },
      },
      { REG_PW: '' },
    );
    expect(() => clients.forHost('reg.example:5000')).toThrow(
      'larder.yaml registries.reg.example:5000: username ci needs a password, but the environment variable REG_PW is empty',
    );
    expect(() => clients.forHost('other.example')).toThrow('password-env is not set');
  });
});
