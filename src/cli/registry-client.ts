import type { ProgressListener } from '../core/index.js';
import { dockerConfigCredentials, RegistryClient } from '../oci/index.js';

/**
 * The registry client every command uses: credentials from `~/.docker/config.json` (or
 * `DOCKER_CONFIG`), progress to the command's renderer, plain HTTP off loopback only with
 * `--insecure`.
 */
export function cliRegistryClient(options: {
  onProgress?: ProgressListener;
  insecure?: boolean | undefined;
}): RegistryClient {
  return new RegistryClient({
    auth: dockerConfigCredentials(),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.insecure === true ? { insecure: true } : {}),
  });
}
