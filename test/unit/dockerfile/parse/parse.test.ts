// parseDockerfile: exact structures and spans for each BuildKit syntax feature.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text holds ${VAR} substitutions, not JS templates
import { describe, expect, it } from 'vitest';
import {
  type Instruction,
  KNOWN_INSTRUCTIONS,
  parseDockerfile,
} from '../../../../src/dockerfile/parse/index.js';

const parse = (text: string) => parseDockerfile(text, 'Dockerfile');
/** The instructions of a one-stage file after its FROM. */
const body = (text: string): readonly Instruction[] =>
  parse(`FROM scratch\n${text}`).stages[0]?.instructions ?? [];
const only = (text: string): Instruction => {
  const all = body(text);
  expect(all).toHaveLength(1);
  return all[0] as Instruction;
};

describe('parseDockerfile: lines', () => {
  it('gives each instruction its exact span and original text, comments and blanks skipped', () => {
    const df = parse('# a comment\n\nFROM alpine:3.20\n\n  # indented comment\nRUN echo a\nUSER app\n');
    expect(df.instructions.map((i) => [i.kind, i.span.line, i.span.endLine, i.original])).toEqual([
      ['FROM', 3, 3, 'FROM alpine:3.20'],
      ['RUN', 6, 6, 'RUN echo a'],
      ['USER', 7, 7, 'USER app'],
    ]);
    expect(df.instructions[0]?.span.file).toBe('Dockerfile');
    expect(df.lines).toEqual([
      '# a comment',
      '',
      'FROM alpine:3.20',
      '',
      '  # indented comment',
      'RUN echo a',
      'USER app',
      '',
    ]);
  });

  it('joins continuation lines, skipping comment and blank lines inside them', () => {
    const text = 'FROM scratch\nRUN apk add \\\n    curl \\  \n# why\n\n    git\nWORKDIR /w\n';
    const [run, workdir] = parse(text).stages[0]?.instructions ?? [];
    expect(run).toEqual({
      kind: 'RUN',
      span: { file: 'Dockerfile', line: 2, endLine: 6 },
      original: 'RUN apk add \\\n    curl \\  \n# why\n\n    git',
      flags: [],
      command: { form: 'shell', text: 'apk add     curl     git' },
      heredocs: [],
    });
    expect(workdir?.span).toEqual({ file: 'Dockerfile', line: 7, endLine: 7 });
  });

  it('reads CRLF input and a BOM', () => {
    const df = parse('\uFEFFFROM alpine AS base\r\nRUN echo a \\\r\n  b\r\nCMD ["sh"]\r\n');
    expect(df.stages[0]?.name).toBe('base');
    const [run, cmd] = df.stages[0]?.instructions ?? [];
    expect(run).toMatchObject({
      command: { form: 'shell', text: 'echo a   b' },
      span: { line: 2, endLine: 3 },
    });
    expect(run?.original).toBe('RUN echo a \\\r\n  b\r');
    expect(cmd).toMatchObject({ kind: 'CMD', command: { form: 'exec', argv: ['sh'] } });
  });

  it('accepts a continuation at the end of the file', () => {
    expect(body('RUN echo a \\')).toMatchObject([{ command: { form: 'shell', text: 'echo a' } }]);
    expect(body('RUN echo a \\\n')).toMatchObject([{ span: { line: 2, endLine: 2 } }]);
    expect(body('RUN echo a\n\\\n')).toHaveLength(1);
  });

  it('takes keywords in any case', () => {
    const df = parse('from alpine as Builder\nrun echo\nCopy a b\n');
    expect(df.stages[0]).toMatchObject({ name: 'builder', from: { kind: 'FROM', as: 'builder' } });
    expect(df.instructions.map((i) => i.kind)).toEqual(['FROM', 'RUN', 'COPY']);
  });

  it('lists every instruction keyword', () => {
    expect([...KNOWN_INSTRUCTIONS].sort()).toEqual(
      ['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL']
        .concat(['MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'])
        .sort(),
    );
  });
});

describe('parseDockerfile: directives', () => {
  it('reads syntax, escape and check at the top, keys in any case', () => {
    const df = parse('# syntax=docker/dockerfile:1.7\n#  ESCAPE = `\n# check=skip=all\nFROM scratch\n');
    expect(df.directives).toEqual({ syntax: 'docker/dockerfile:1.7', escape: '`', check: 'skip=all' });
  });

  it('defaults the escape to a backslash', () => {
    expect(parse('FROM scratch\n').directives).toEqual({ escape: '\\' });
  });

  it('stops at the first line that is not a directive', () => {
    expect(parse('# a comment\n# escape=`\nFROM scratch\n').directives).toEqual({ escape: '\\' });
    expect(parse('\n# escape=`\nFROM scratch\n').directives).toEqual({ escape: '\\' });
    expect(parse('# unknown=x\n# syntax=y\nFROM scratch\n').directives).toEqual({ escape: '\\' });
    expect(parse('FROM scratch\n# escape=`\n').directives).toEqual({ escape: '\\' });
  });

  it('refuses a repeated directive and a bad escape', () => {
    expect(() => parse('# escape=`\n# Escape=\\\nFROM scratch\n')).toThrow(
      'Dockerfile:2: only one escape parser directive can be used',
    );
    expect(() => parse('# escape=x\nFROM scratch\n')).toThrow("Dockerfile:1: invalid escape token 'x'");
  });

  it('uses the backtick escape for continuations (Windows style)', () => {
    const text =
      '# escape=`\n\nFROM mcr.microsoft.com/windows/servercore\nCOPY testfile.txt c:\\\nRUN dir c:\\\nRUN a `\n  b\n';
    const df = parse(text);
    expect(df.directives.escape).toBe('`');
    expect(df.stages[0]?.instructions).toMatchObject([
      { kind: 'COPY', sources: ['testfile.txt'], dest: 'c:\\', span: { line: 4, endLine: 4 } },
      { kind: 'RUN', command: { form: 'shell', text: 'dir c:\\' }, span: { line: 5, endLine: 5 } },
      { kind: 'RUN', command: { form: 'shell', text: 'a   b' }, span: { line: 6, endLine: 7 } },
    ]);
  });
});

describe('parseDockerfile: stages', () => {
  const text = [
    'ARG VERSION=3.20',
    'ARG REGISTRY',
    'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build',
    'ARG VERSION',
    'RUN go build -o /out/app ./cmd/app',
    '',
    'FROM alpine:${VERSION} AS test-stage.1',
    'COPY --from=build /out/app /usr/bin/app',
    '',
    'FROM cgr.dev/chainguard/static',
    'COPY --from=build --chown=65532:65532 /out/app /app',
    'USER 65532',
    'ENTRYPOINT ["/app"]',
    '',
  ].join('\n');

  it('splits stages, names them, and keeps ARGs before the first FROM apart', () => {
    const df = parse(text);
    expect(df.globalArgs.map((a) => a.args)).toEqual([
      [{ name: 'VERSION', value: '3.20' }],
      [{ name: 'REGISTRY' }],
    ]);
    expect(df.stages.map((s) => [s.index, s.name, s.from.image, s.instructions.map((i) => i.kind)])).toEqual([
      [0, 'build', 'golang:1.22', ['ARG', 'RUN']],
      [1, 'test-stage.1', 'alpine:${VERSION}', ['COPY']],
      [2, undefined, 'cgr.dev/chainguard/static', ['COPY', 'USER', 'ENTRYPOINT']],
    ]);
    expect(df.stages[0]?.from).toEqual({
      kind: 'FROM',
      span: { file: 'Dockerfile', line: 3, endLine: 3 },
      original: 'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build',
      flags: [{ name: 'platform', value: '$BUILDPLATFORM' }],
      image: 'golang:1.22',
      as: 'build',
      platform: '$BUILDPLATFORM',
    });
    expect('name' in (df.stages[2] ?? {})).toBe(false);
    expect(df.instructions).toHaveLength(11);
    expect(df.stages[2]?.instructions[0]).toMatchObject({
      flags: [
        { name: 'from', value: 'build' },
        { name: 'chown', value: '65532:65532' },
      ],
      sources: ['/out/app'],
      dest: '/app',
    });
  });
});

describe('parseDockerfile: command forms', () => {
  it('takes a JSON string array as the exec form', () => {
    expect(only('ENTRYPOINT ["/bin/app", "--flag=a b"]')).toMatchObject({
      command: { form: 'exec', argv: ['/bin/app', '--flag=a b'] },
    });
    expect(only('CMD []')).toMatchObject({ command: { form: 'exec', argv: [] } });
  });

  it('takes anything else as the shell form, invalid JSON included', () => {
    expect(only("CMD ['/bin/app']")).toMatchObject({ command: { form: 'shell', text: "['/bin/app']" } });
    expect(only('RUN [ -f /etc/passwd ] && echo ok')).toMatchObject({
      command: { form: 'shell', text: '[ -f /etc/passwd ] && echo ok' },
    });
    expect(only('CMD echo "$HOME"')).toMatchObject({ command: { form: 'shell', text: 'echo "$HOME"' } });
  });

  it('refuses a JSON array that is not all strings', () => {
    expect(() => body('CMD ["a", 1]')).toThrow(
      'Dockerfile:2: CMD: when using JSON array syntax, arrays must be comprised of strings only',
    );
  });

  it('requires SHELL in JSON form', () => {
    expect(only('SHELL ["/bin/sh", "-eu", "-c"]')).toMatchObject({
      kind: 'SHELL',
      argv: ['/bin/sh', '-eu', '-c'],
    });
    expect(() => body('SHELL /bin/sh -c')).toThrow(
      'Dockerfile:2: SHELL requires the arguments to be in JSON form',
    );
  });

  it('reads RUN flags, with quotes removed and a bare -- ending them', () => {
    expect(
      only('RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=t --network=none make'),
    ).toMatchObject({
      flags: [
        { name: 'mount', value: 'type=cache,target=/root/.cache' },
        { name: 'mount', value: 'type=secret,id=t' },
        { name: 'network', value: 'none' },
      ],
      command: { form: 'shell', text: 'make' },
    });
    expect(only('RUN --network="none" -- --version')).toMatchObject({
      flags: [{ name: 'network', value: 'none' }],
      command: { form: 'shell', text: '--version' },
    });
    expect(only('COPY --link a b')).toMatchObject({ flags: [{ name: 'link', value: undefined }] });
  });

  it('parses HEALTHCHECK', () => {
    expect(only('HEALTHCHECK NONE')).toMatchObject({ check: { none: true }, flags: [] });
    expect(
      only('HEALTHCHECK --interval=5m --timeout=3s --retries=3 CMD ["curl", "-f", "http://localhost/"]'),
    ).toEqual({
      kind: 'HEALTHCHECK',
      span: { file: 'Dockerfile', line: 2, endLine: 2 },
      original: 'HEALTHCHECK --interval=5m --timeout=3s --retries=3 CMD ["curl", "-f", "http://localhost/"]',
      flags: [
        { name: 'interval', value: '5m' },
        { name: 'timeout', value: '3s' },
        { name: 'retries', value: '3' },
      ],
      check: { none: false, command: { form: 'exec', argv: ['curl', '-f', 'http://localhost/'] } },
    });
    expect(only('healthcheck cmd curl -f http://localhost/ || exit 1')).toMatchObject({
      check: { none: false, command: { form: 'shell', text: 'curl -f http://localhost/ || exit 1' } },
    });
  });
});

describe('parseDockerfile: arguments', () => {
  it('reads ENV and LABEL pairs raw, and the legacy one-pair form', () => {
    expect(only('ENV A=1 B="two words" C=a\\ b D=\'$x\' E=')).toMatchObject({
      pairs: [
        { key: 'A', value: '1' },
        { key: 'B', value: '"two words"' },
        { key: 'C', value: 'a\\ b' },
        { key: 'D', value: "'$x'" },
        { key: 'E', value: '' },
      ],
    });
    expect(only('ENV PATH /usr/local/bin:$PATH and more')).toMatchObject({
      pairs: [{ key: 'PATH', value: '/usr/local/bin:$PATH and more' }],
    });
    expect(
      only('LABEL "com.example.vendor"="ACME Inc" version=1.0 \\\n  description="multi line"'),
    ).toMatchObject({
      kind: 'LABEL',
      pairs: [
        { key: '"com.example.vendor"', value: '"ACME Inc"' },
        { key: 'version', value: '1.0' },
        { key: 'description', value: '"multi line"' },
      ],
      span: { line: 2, endLine: 3 },
    });
  });

  it('reads ARG declarations, several per line', () => {
    expect(only('ARG A B=2 C="x y"')).toMatchObject({
      args: [{ name: 'A' }, { name: 'B', value: '2' }, { name: 'C', value: '"x y"' }],
    });
  });

  it('reads the one-value instructions whole', () => {
    expect(body('WORKDIR /my dir\nUSER app:app\nSTOPSIGNAL SIGKILL\nMAINTAINER A <a@b.c>')).toMatchObject([
      { kind: 'WORKDIR', value: '/my dir' },
      { kind: 'USER', value: 'app:app' },
      { kind: 'STOPSIGNAL', value: 'SIGKILL' },
      { kind: 'MAINTAINER', value: 'A <a@b.c>' },
    ]);
  });

  it('splits EXPOSE and VOLUME values; VOLUME also in JSON form', () => {
    expect(
      body('EXPOSE 80/tcp  443 ${PORT}\nVOLUME /data /logs\nVOLUME ["/var/lib/x", "/a b"]'),
    ).toMatchObject([
      { kind: 'EXPOSE', values: ['80/tcp', '443', '${PORT}'] },
      { kind: 'VOLUME', values: ['/data', '/logs'] },
      { kind: 'VOLUME', values: ['/var/lib/x', '/a b'] },
    ]);
  });

  it('reads COPY and ADD sources and destination, shell and JSON forms', () => {
    expect(
      body('COPY a b* ${D}/\nADD --checksum=sha256:abc https://x/y.tgz /y\nCOPY ["a b", "c d/"]'),
    ).toMatchObject([
      { kind: 'COPY', sources: ['a', 'b*'], dest: '${D}/', heredocs: [] },
      {
        kind: 'ADD',
        sources: ['https://x/y.tgz'],
        dest: '/y',
        flags: [{ name: 'checksum', value: 'sha256:abc' }],
      },
      { kind: 'COPY', sources: ['a b'], dest: 'c d/' },
    ]);
  });

  it('keeps an ONBUILD trigger as text', () => {
    expect(only('ONBUILD COPY --from=build . /app')).toMatchObject({
      kind: 'ONBUILD',
      trigger: 'COPY --from=build . /app',
    });
  });
});
