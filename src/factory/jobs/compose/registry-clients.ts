/**
 * Registry clients from larder.yaml `registries`: per host, plain HTTP when `insecure` (loopback
 * hosts always speak plain HTTP, as docker does) and Basic credentials whose password is read
 * from the environment variable `password-env` names.
 */
import { LarderError } from '../../../core/index.js';
import { RegistryClient, type RegistryCredentials, staticCredentials } from '../../../oci/index.js';
import type { FactoryConfig } from '../../model.js';

/** One client per registry host, made on first use; `close()` closes them all. */
export interface RegistryClients {
  forHost(host: string): RegistryClient;
  close(): Promise<void>;
}

export function registryClients(
  registries: FactoryConfig['registries'],
  env: NodeJS.ProcessEnv = process.env,
): RegistryClients {
  const clients = new Map<string, RegistryClient>();
  return {
    forHost(host) {
      let client = clients.get(host);
      if (client !== undefined) return client;
      const entry = Object.hasOwn(registries, host) ? registries[host] : undefined;
      const credentials: Record<string, RegistryCredentials> = {};
      if (entry?.username !== undefined) {
        const variable = entry.passwordEnv;
        const password = variable === undefined ? undefined : env[variable];
        if (password === undefined || password === '')
          throw new LarderError(
            'USAGE',
            `larder.yaml registries.${host}: username ${entry.username} needs a password, but ${
              variable === undefined
                ? 'password-env is not set'
                : `the environment variable ${variable} is empty`
            }`,
            { subject: host },
          );
        credentials[host] = { kind: 'basic', username: entry.username, password };
      }
      client = new RegistryClient({
        auth: staticCredentials(credentials),
        ...(entry?.insecure === true ? { insecure: true } : {}),
      });
      clients.set(host, client);
      return client;
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}
