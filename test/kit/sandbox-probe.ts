// Prepares a host-runner sandbox and prints `{"ok":true}` or the error's code and message as
// JSON: run by tests in conditions the test process itself cannot be put in (a user namespace
// with max_user_namespaces=0, another PATH).
import { tmpdir } from 'node:os';
import { createBubblewrapRunner } from '../../src/build/sandbox/index.js';
import { LarderError } from '../../src/core/index.js';

try {
  await createBubblewrapRunner({ mode: 'host' }).prepare({
    workspace: tmpdir(),
    contents: { repositories: [], keyring: [], packages: [] },
    arch: 'x86_64',
  });
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
} catch (err) {
  if (!(err instanceof LarderError)) throw err;
  process.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: err.message })}\n`);
}
