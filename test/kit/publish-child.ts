// A publisher in its own process, for the concurrency and crash tests of src/repo/publish:
// `node --import tsx publish-child.ts '<json>'` with {repoDir, arch, key, packages, crash}.
import { loadApkSigningKey } from '../../src/apk/index.js';
import { publishPackages } from '../../src/repo/index.js';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  repoDir: string;
  arch: string;
  key: string;
  packages: string[];
  crash?: boolean;
};
await publishPackages({
  repoDir: args.repoDir,
  arch: args.arch,
  packages: args.packages,
  signKey: await loadApkSigningKey(args.key),
  ...(args.crash ? { beforeCommit: () => void process.kill(process.pid, 'SIGKILL') } : {}),
});
