// biome-ignore-all lint/suspicious/noTemplateCurlyInString: melange substitutions and Go replacement templates
import { describe, expect, it } from 'vitest';
import { compileRecipeFile, compileRecipeText, pipelineLibrary } from './recipe-kit.js';

const library = pipelineLibrary(['test/fixtures/recipes/pipelines']);
const GREETER = 'test/fixtures/recipes/greeter.yaml';

type Step = {
  kind: string;
  name: string;
  workdir: string;
  script?: string;
  environment?: Record<string, string>;
  inputs?: Record<string, string>;
};

function body(step: Step | undefined): string {
  // The script melange runs: set -eo pipefail, mkdir + cd the workdir, the step, exit 0.
  const lines = (step?.script ?? '').split('\n');
  return lines.slice(3, -1).join('\n').trim();
}

describe('recipe plan (greeter.yaml)', () => {
  it('substitutes package, vars, var-transforms, targets and triplets', async () => {
    const plan = await compileRecipeFile(GREETER, { library, arch: 'x86_64' });
    expect(plan.package).toMatchObject({
      name: 'greeter',
      version: '1.2.3_p4',
      epoch: 2,
      fullVersion: '1.2.3_p4-r2',
    });
    const [fetch, make, x86, install] = (plan.packages[0]?.steps ?? []) as Step[];
    expect(fetch).toMatchObject({ kind: 'fetch', name: 'fetch', workdir: '/home/build' });
    // var-transform with a (?P<major>) group, ${2}, $3 and $4 replacements
    expect(fetch?.inputs?.uri).toBe('file:///srv/greeter-1.2.3+patch4.tar.gz');
    expect(fetch?.inputs?.['strip-components']).toBe('1');
    expect(fetch?.inputs?.['purl-name']).toBe('greeter');
    expect(body(make)).toBe('make VERSION=1_2_3_p4');
    expect(body(x86)).toBe('echo fast path for x86_64-pc-linux-gnu');
    expect(body(install)).toBe('make install DESTDIR=/home/build/melange-out/greeter');
    expect(install?.workdir).toBe('/opt/build');
  });

  it('wraps each step in the script melange runs', async () => {
    const plan = await compileRecipeFile(GREETER, { library, arch: 'x86_64' });
    const make = plan.packages[0]?.steps[1] as Step;
    expect(make.script).toBe(
      'set -eo pipefail\n[ -d /home/build/src ] || mkdir -p /home/build/src\ncd /home/build/src\nmake VERSION=1_2_3_p4\nexit 0',
    );
  });

  it('passes working-directory and environment down to nested steps', async () => {
    const plan = await compileRecipeFile(GREETER, { library, arch: 'x86_64' });
    const make = plan.packages[0]?.steps[1] as Step;
    expect(make.workdir).toBe('/home/build/src');
    expect(make.environment).toEqual({
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin',
      CFLAGS: '-O2',
    });
  });

  it('evaluates conditions per architecture', async () => {
    const x86 = await compileRecipeFile(GREETER, { library, arch: 'x86_64' });
    const arm = await compileRecipeFile(GREETER, { library, arch: 'aarch64' });
    const names = (p: typeof x86) => p.packages[0]?.steps.map((s) => s.name);
    expect(names(x86)).toContain('x86 only');
    expect(names(x86)).not.toContain('arm only');
    expect(names(arm)).toContain('arm only');
    expect(names(arm)).not.toContain('x86 only');
    const armStep = arm.packages[0]?.steps.find((s) => s.name === 'arm only') as Step;
    expect(body(armStep)).toBe('echo arm path for aarch64-unknown-linux-gnu');
  });

  it('expands nested uses, inputs inherited and defaulted, needs gathered', async () => {
    const plan = await compileRecipeFile(GREETER, { library, arch: 'x86_64' });
    const steps = plan.packages[0]?.steps as Step[];
    expect(steps.slice(-2).map((s) => s.name)).toEqual(['make the context dir', 'local/greet']);
    expect(body(steps.at(-1))).toBe(
      'echo "hello, world and friends" > /home/build/melange-out/greeter/greeting',
    );
    expect(plan.environment.packages).toEqual([
      'build-base',
      'greeter-deps=1.2.3_p4',
      'coreutils',
      'busybox',
    ]);
    expect(plan.environment.env).toMatchObject({ HOME: '/home/build', LANG: 'C.UTF-8' });
  });

  it('expands ranged subpackages in sorted key order and skips those whose if fails', async () => {
    const plan = await compileRecipeFile(GREETER, { library, arch: 'x86_64' });
    expect(plan.packages.map((p) => p.name)).toEqual([
      'greeter',
      'greeter-de',
      'greeter-en',
      'greeter-fr',
      'greeter-dev',
    ]);
    const fr = plan.packages[3];
    expect(fr?.destdir).toBe('/home/build/melange-out/greeter-fr');
    expect(body(fr?.steps[0] as Step)).toBe(
      'mkdir -p /home/build/melange-out/greeter-fr/usr/share/greeter\necho bonjour > /home/build/melange-out/greeter-fr/usr/share/greeter/fr',
    );
    expect(body(fr?.test?.steps[0] as Step)).toBe('test "$(cat /usr/share/greeter/fr)" = "bonjour"');
    // targets.contextdir is the subpackage's own directory in its pipelines
    expect(body(plan.packages[4]?.steps[0] as Step)).toBe(
      'echo "hello, developers" > /home/build/melange-out/greeter-dev/greeting',
    );
  });

  it('compiles tests with the package under test and the pipelines needs', async () => {
    const plan = await compileRecipeFile(GREETER, { library, arch: 'x86_64' });
    const test = plan.packages[0]?.test;
    expect(test?.packages).toEqual(['bash', 'busybox', 'greeter']);
    expect(body(test?.steps[0] as Step)).toBe(
      'echo "hi, testers" > /home/build/melange-out/greeter/greeting',
    );
  });

  it('carries what .PKGINFO and the guest need: metadata, licences, accounts', async () => {
    const plan = await compileRecipeFile(GREETER, { library, arch: 'x86_64' });
    expect(plan.package.copyright).toEqual([
      { license: 'MIT', attestation: 'Copyright the greeters' },
      { license: 'Apache-2.0' },
    ]);
    expect(plan.packages[0]?.metadata).toEqual({
      description: 'says hello in 3 languages',
      dependencies: {
        runtime: ['busybox'],
        provides: ['hello=1.2.3_p4-r2'],
        replaces: [],
        providerPriority: 10,
      },
      options: { noCommands: true },
      scriptlets: { postInstall: '#!/bin/sh\necho installed greeter\n' },
    });
    expect(plan.packages[4]?.metadata.dependencies).toEqual({
      runtime: ['greeter=1.2.3_p4-r2'],
      provides: [],
      replaces: [],
      replacesPriority: 5,
    });
    expect(plan.environment.accounts).toEqual({
      users: [
        { username: 'greeter', uid: 2000, gid: 2000 },
        { username: 'build', uid: 1000, gid: 1000 },
      ],
      groups: [{ groupname: 'build', gid: 1000, members: ['build'] }],
    });
  });

  it('is plain JSON', async () => {
    const plan = await compileRecipeFile(GREETER, { library, arch: 'x86_64' });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});

describe('recipe plan: melange details', () => {
  const recipe = (extra: string) => `package:\n  name: p\n  version: 1.10\n  epoch: 0\n${extra}`;

  it('keeps scalars as text (1.10 stays 1.10) and allows spaces inside ${{ }}', () => {
    const plan = compileRecipeText(recipe('pipeline:\n  - runs: echo ${{ package.version }}\n'), 'p.yaml', {
      library,
    });
    expect(plan.package.version).toBe('1.10');
    expect(body(plan.packages[0]?.steps[0] as Step)).toBe('echo 1.10');
  });

  it('a pipeline directory entry wins over a built-in of the same name', () => {
    const own = pipelineLibrary(['test/fixtures/recipes/pipelines-override']);
    const plan = compileRecipeText(recipe('pipeline:\n  - uses: strip\n'), 'p.yaml', { library: own });
    expect(body(plan.packages[0]?.steps[0] as Step)).toBe('echo our own strip for p');
  });

  it('child with values read the parent inputs; input defaults may use substitutions', () => {
    const plan = compileRecipeText(
      recipe('pipeline:\n  - uses: local/wrap\n    with:\n      who: ${{package.name}}\n'),
      'p.yaml',
      { library },
    );
    expect(body(plan.packages[0]?.steps[1] as Step)).toBe(
      'echo "hello, p and friends" > /home/build/melange-out/p/greeting',
    );
  });

  it('a step with both uses and its own pipeline runs its pipeline (melange ignores uses)', () => {
    const text = recipe('pipeline:\n  - uses: fetch\n    pipeline:\n      - runs: echo mine\n');
    const plan = compileRecipeText(text, 'p.yaml', { library });
    expect(plan.packages[0]?.steps.map((s) => [s.kind, s.name])).toEqual([['run', 'fetch']]);
    expect(body(plan.packages[0]?.steps[0] as Step)).toBe('echo mine');
  });

  it('build options: options.X.enabled, vars replaced, guest packages added and removed', () => {
    const text = recipe(
      [
        'environment:\n  contents:\n    packages: [gcc, openssl-dev]',
        'vars:\n  tls: openssl',
        'options:\n  boring:\n    vars:\n      tls: boringssl',
        '    environment:\n      contents:\n        packages:\n          add: [boringssl-dev]\n          remove: [openssl-dev]',
        // as in melange, options apply after parse time: `${{vars.tls}}` is already replaced
        // then, while `${{ vars.tls }}` (spaced) and pipeline files see the option's value
        'pipeline:\n  - runs: echo ${{vars.tls}} ${{ vars.tls }} ${{options.boring.enabled}}\n',
      ].join('\n'),
    );
    const plain = compileRecipeText(text, 'p.yaml', { library });
    expect(body(plain.packages[0]?.steps[0] as Step)).toBe('echo openssl openssl false');
    expect(plain.environment.packages).toEqual(['gcc', 'openssl-dev']);
    const boring = compileRecipeText(text, 'p.yaml', { library, buildOptions: ['boring'] });
    expect(body(boring.packages[0]?.steps[0] as Step)).toBe('echo openssl boringssl true');
    expect(boring.environment.packages).toEqual(['gcc', 'boringssl-dev']);
  });

  it('vars may refer to package fields and to other vars', () => {
    const plan = compileRecipeText(
      recipe('vars:\n  a: ${{package.name}}-x\n  b: ${{vars.a}}-y\npipeline:\n  - runs: echo ${{vars.b}}\n'),
      'p.yaml',
      { library },
    );
    expect(body(plan.packages[0]?.steps[0] as Step)).toBe('echo p-x-y');
  });

  it('conditions: compile-time values are quoted, parse-time ones replaced as written', () => {
    // melange replaces package.*, vars.* and range.* unquoted at parse time (Wolfi quotes them
    // itself: '"${{range.key}}" == ""'); build.arch and the rest are quoted when compiling.
    const text = recipe(
      'subpackages:\n  - name: p-doc\n    if: \'"${{package.name}}" == "p" && (${{build.arch}} != "x86_64" || "a" == "a")\'\n',
    );
    const plan = compileRecipeText(text, 'p.yaml', { library, arch: 'x86_64' });
    expect(plan.packages.map((p) => p.name)).toEqual(['p', 'p-doc']);
  });
});
