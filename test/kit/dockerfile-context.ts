import { chmod, copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostApkArch } from '../../src/apk/index.js';
import { busyboxRepository } from './busybox-repo.js';
import { larder } from './cli.js';
import { own } from './paths.js';

/** What {@link prepareDockerContext} made. */
export interface DockerContext {
  /** The build context: Dockerfile, .dockerignore, images/, src/, static/, repo/, keys/. */
  readonly context: string;
  /** The signed repository inside the context (`repo/<arch>/APKINDEX.tar.gz`). */
  readonly repo: string;
  /** The APK signing key (outside the context) and its public half (inside, keys/). */
  readonly signKey: string;
  readonly keyring: string;
  readonly arch: string;
  /** What the final image's ENTRYPOINT prints, line by line, for a build with default args. */
  readonly expectedOutput: (version?: string) => string[];
}

/** Package versions in the repository. */
export const HELLO_VERSION = '2.12-r0';
export const APP_BASE_VERSION = '1.0-r0';

/** A multi-stage Dockerfile over the packages of the context's repository. */
export const DOCKERFILE = `# syntax=docker/dockerfile:1
# The build stage has a shell (Debian's busybox-static, packaged by larder); the runtime stage
# gets the artifacts, one package added natively, and runs as uid 1000.
ARG VERSION=1.0.0

FROM larder:images/build.yaml AS build
ARG VERSION
ARG GREETING=hello
ENV OUT=/out
WORKDIR /work
COPY . /work/
RUN mkdir -p $OUT \\
 && sed "s/@VERSION@/\${VERSION}/" src/app.sh.in > $OUT/app \\
 && echo "greeting=\${GREETING}" > $OUT/app.conf \\
 && echo "scratch" > $OUT/scratch.tmp
RUN rm $OUT/scratch.tmp \\
 && chmod 0600 $OUT/app \\
 && ls -A /work | sort > $OUT/context.txt \\
 && ls $OUT | sort > /tmp/manifest.txt \\
 && mv /tmp/manifest.txt $OUT/manifest.txt

# A stage on a base with no shell at all: apk add must work without one.
FROM larder:images/static.yaml AS minimal
RUN apk add hello

FROM larder:images/runtime.yaml
ARG VERSION
COPY --from=build --chown=1000:1000 --chmod=0755 /out/app /usr/local/bin/app
COPY --from=build /out/app.conf /out/context.txt /out/manifest.txt /etc/app/
COPY static/ /srv/static/
RUN apk add hello
RUN rm /etc/motd
USER 1000
WORKDIR /srv
ENV GREETING="hello from larder" APP_VERSION=\${VERSION}
LABEL org.opencontainers.image.title="app" \\
      org.opencontainers.image.version="\${VERSION}"
EXPOSE 8080/tcp
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["--serve"]
`;

const APP_SH = `#!/bin/sh
echo "app @VERSION@ as uid $(id -u) gid $(id -g) in $(pwd)"
echo "config: $(cat /etc/app/app.conf)"
echo "env: $GREETING $APP_VERSION"
hello
if [ -e /etc/motd ]; then echo "motd: present"; else echo "motd: removed"; fi
echo "args: $*"
`;

function config(packages: string[], extra: string[] = []): string {
  return [
    'contents:',
    '  keyring:',
    '    - keys/larder-test.rsa.pub',
    '  repositories:',
    '    - repo',
    '  packages:',
    ...packages.map((p) => `    - ${p}`),
    ...extra,
    'archs:',
    `  - ${hostApkArch()}`,
    '',
  ].join('\n');
}

function must(args: string[]): void {
  const r = larder(args);
  if (r.status !== 0) throw new Error(`larder ${args.join(' ')}: ${r.stderr}`);
}

/**
 * A Docker build context in `dir/context` (config paths are relative to it, as `larder image
 * build` run from it and `FROM larder:` read them): a signed repository (`repo/`, excluded by
 * .dockerignore) with `busybox` (test/kit/busybox-repo.ts), `hello` (a shell script printing
 * one line) and `app-base` (/etc/motd and /usr/share/app-base/README, no shell);
 * `images/build.yaml` (busybox), `images/static.yaml` (app-base only: no shell),
 * `images/runtime.yaml` (busybox + app-base, user app 1000); `src/app.sh.in`, `static/`, files
 * that .dockerignore keeps out (`secret.env`, `build.log`), and {@link DOCKERFILE}.
 */
export async function prepareDockerContext(dir: string): Promise<DockerContext> {
  const arch = hostApkArch();
  const signKey = own('keys', 'larder-test.rsa');
  const context = join(dir, 'context');
  const work = join(dir, 'packages');
  await mkdir(work, { recursive: true });
  const built = await busyboxRepository(work, arch, signKey);
  await mkdir(context, { recursive: true });
  const repo = join(context, 'repo');
  await rename(built, repo);

  const hello = join(work, 'hello-tree');
  await mkdir(join(hello, 'usr', 'bin'), { recursive: true });
  await writeFile(join(hello, 'usr', 'bin', 'hello'), '#!/bin/sh\necho "hello from the hello package"\n');
  await chmod(join(hello, 'usr', 'bin', 'hello'), 0o755);
  const base = join(work, 'app-base-tree');
  await mkdir(join(base, 'etc'), { recursive: true });
  await mkdir(join(base, 'usr', 'share', 'app-base'), { recursive: true });
  await writeFile(join(base, 'etc', 'motd'), 'Welcome to the app image.\n');
  await writeFile(join(base, 'usr', 'share', 'app-base', 'README'), 'the base of the app image\n');
  const apks: string[] = [];
  for (const [name, version, tree] of [
    ['hello', HELLO_VERSION, hello],
    ['app-base', APP_BASE_VERSION, base],
  ] as const) {
    const apk = join(repo, arch, `${name}-${version}.apk`);
    must(
      ['apk', 'create', '--name', name, '--version', version, '--arch', arch, '--from', tree].concat([
        '--license',
        'MIT',
        '--sign-key',
        signKey,
        '-o',
        apk,
      ]),
    );
    apks.push(apk);
  }
  must(['index', '--sign-key', signKey, '-o', join(repo, arch, 'APKINDEX.tar.gz'), ...apks]);

  await mkdir(join(context, 'keys'));
  const keyring = join(context, 'keys', 'larder-test.rsa.pub');
  await copyFile(`${signKey}.pub`, keyring);
  await mkdir(join(context, 'images'));
  await writeFile(join(context, 'images', 'build.yaml'), config(['busybox']));
  await writeFile(join(context, 'images', 'static.yaml'), config(['app-base']));
  await writeFile(
    join(context, 'images', 'runtime.yaml'),
    config(
      ['busybox', 'app-base'],
      ['accounts:', '  groups:', '    - groupname: app', '      gid: 1000', '  users:'].concat([
        '    - username: app',
        '      uid: 1000',
        '      gid: 1000',
      ]),
    ),
  );
  await mkdir(join(context, 'src'));
  await writeFile(join(context, 'src', 'app.sh.in'), APP_SH);
  await mkdir(join(context, 'static'));
  await writeFile(join(context, 'static', 'index.html'), '<h1>app</h1>\n');
  await writeFile(join(context, 'secret.env'), 'TOKEN=do-not-ship\n');
  await writeFile(join(context, 'build.log'), 'a log a COPY . would take\n');
  await writeFile(
    join(context, '.dockerignore'),
    '# what the image must never see\nrepo/\nsecret.env\n*.log\n',
  );
  await writeFile(join(context, 'Dockerfile'), DOCKERFILE);
  return {
    context,
    repo,
    signKey,
    keyring,
    arch,
    expectedOutput: (version = '1.0.0') => [
      `app ${version} as uid 1000 gid 1000 in /srv`,
      'config: greeting=hello',
      `env: hello from larder ${version}`,
      'hello from the hello package',
      'motd: removed',
      'args: --serve',
    ],
  };
}
