// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text holds ${VAR} substitutions, not JS templates
// The Dockerfile reference's examples, parsed and then expanded as the builder does.
import { describe, expect, it } from 'vitest';
import { expandWord, expandWords, parseDockerfile } from '../../../../src/dockerfile/parse/index.js';

describe("the Dockerfile reference's examples", () => {
  it('environment replacement: WORKDIR, ADD and an escaped COPY source', () => {
    const df = parseDockerfile(
      '# syntax=docker/dockerfile:1\nFROM busybox\nENV FOO=/bar\nWORKDIR ${FOO}   # WORKDIR /bar\nADD . $FOO       # ADD . /bar\nCOPY \\$FOO /quux # COPY $FOO /quux\n',
      'Dockerfile',
    );
    const vars = (name: string) => (name === 'FOO' ? '/bar' : undefined);
    const [env, workdir, add, copy] = df.stages[0]?.instructions ?? [];
    expect(env).toMatchObject({ kind: 'ENV', pairs: [{ key: 'FOO', value: '/bar' }] });
    // WORKDIR takes the rest of the line: BuildKit has no trailing comments either.
    expect(workdir).toMatchObject({ kind: 'WORKDIR', value: '${FOO}   # WORKDIR /bar' });
    expect(expandWord(workdir?.kind === 'WORKDIR' ? workdir.value : '', vars)).toBe('/bar   # WORKDIR /bar');
    expect(add).toMatchObject({ kind: 'ADD', sources: ['.', '$FOO', '#', 'ADD', '.'], dest: '/bar' });
    expect(copy).toMatchObject({ kind: 'COPY', sources: ['\\$FOO', '/quux', '#', 'COPY', '$FOO'] });
    expect(expandWord('\\$FOO', vars)).toBe('$FOO');
  });

  it('ENV values with quotes and escapes', () => {
    const df = parseDockerfile(
      'FROM scratch\nENV MY_NAME="John Doe"\nENV MY_DOG=Rex\\ The\\ Dog\nENV MY_CAT=fluffy\nENV MY_NAME="John Doe" MY_DOG=Rex\\ The\\ Dog \\\n    MY_CAT=fluffy\n',
      'Dockerfile',
    );
    const pairs = df.stages[0]?.instructions.flatMap((i) => (i.kind === 'ENV' ? i.pairs : [])) ?? [];
    expect(pairs.map((p) => [p.key, expandWord(p.value, () => undefined)])).toEqual([
      ['MY_NAME', 'John Doe'],
      ['MY_DOG', 'Rex The Dog'],
      ['MY_CAT', 'fluffy'],
      ['MY_NAME', 'John Doe'],
      ['MY_DOG', 'Rex The Dog'],
      ['MY_CAT', 'fluffy'],
    ]);
  });

  it('pattern modifiers', () => {
    const vars = (name: string) =>
      ({ VERSION: 'v1.2.3', REF: 'refs/heads/main', URL: 'https://github.com/moby/buildkit' })[name];
    expect(expandWord('${VERSION#v}', vars)).toBe('1.2.3');
    expect(expandWord('${REF##*/}', vars)).toBe('main');
    expect(expandWord('${REF%/*}', vars)).toBe('refs/heads');
    expect(expandWord('${URL/https:\\/\\//}', vars)).toBe('github.com/moby/buildkit');
    expect(expandWord('${URL//\\//_}', vars)).toBe('https:__github.com_moby_buildkit');
  });

  it('EXPOSE and VOLUME words', () => {
    const vars = (name: string) => ({ PORTS: '80 443/udp', DIR: '/data' })[name];
    const df = parseDockerfile('FROM scratch\nEXPOSE 8080 $PORTS\nVOLUME ${DIR} "/my vol"\n', 'Dockerfile');
    const [expose, volume] = df.stages[0]?.instructions ?? [];
    const words = (values: readonly string[]) => values.flatMap((v) => expandWords(v, vars));
    expect(expose?.kind === 'EXPOSE' ? words(expose.values) : []).toEqual(['8080', '80', '443/udp']);
    // Shell-form VOLUME splits on whitespace before quotes are read, as BuildKit.
    expect(volume?.kind === 'VOLUME' ? volume.values : []).toEqual(['${DIR}', '"/my', 'vol"']);
  });
});
