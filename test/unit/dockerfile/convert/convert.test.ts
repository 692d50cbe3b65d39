import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import { convertDockerfile } from '../../../../src/dockerfile/convert/index.js';
import { parseDockerfile } from '../../../../src/dockerfile/parse/index.js';
import { own } from '../../../kit/paths.js';
import { prng } from '../../../kit/prng.js';

const FIXTURES = ['debian', 'ubuntu', 'alpine', 'fedora', 'multi-stage', 'arg-heavy'];
const read = (...parts: string[]): string => readFileSync(own('dockerfiles', ...parts), 'utf8');

describe('convertDockerfile: the realistic Dockerfiles', () => {
  it.each(FIXTURES)('%s gives the committed golden text and flags', (name) => {
    const result = convertDockerfile(read(name, 'Dockerfile'), 'Dockerfile');
    expect(result.text).toBe(read(name, 'Dockerfile.converted'));
    expect(result.flags.map((f) => `${f.file}:${f.line}: ${f.message}\n`).join('')).toBe(
      read(name, 'flags.txt'),
    );
  });

  it.each(FIXTURES)('%s: lines outside the changed instructions are kept byte for byte, in order', (name) => {
    const text = read(name, 'Dockerfile');
    const result = convertDockerfile(text, 'Dockerfile');
    const changed = new Set<number>();
    for (const c of result.changes) {
      if (c.action !== 'added') for (let n = c.line; n <= c.endLine; n++) changed.add(n);
    }
    const untouched = text.split('\n').filter((_, i) => !changed.has(i + 1));
    const out = result.text.split('\n');
    let at = 0;
    for (const line of untouched) {
      while (at < out.length && out[at] !== line) at++;
      expect(at, `line ${JSON.stringify(line)} kept`).toBeLessThan(out.length);
      at++;
    }
    expect(result.changes.length).toBeGreaterThan(0);
  });

  it.each(FIXTURES)('%s: the output parses and converting it again changes nothing', (name) => {
    const once = convertDockerfile(read(name, 'Dockerfile'), 'Dockerfile');
    expect(() => parseDockerfile(once.text, 'Dockerfile')).not.toThrow();
    const twice = convertDockerfile(once.text, 'Dockerfile');
    expect(twice.text).toBe(once.text);
    expect(twice.changes).toEqual([]);
  });
});

describe('convertDockerfile: FROM lines', () => {
  it('keeps the platform, the stage name, stage references and scratch', () => {
    const text = 'FROM --platform=linux/arm64 debian:12 AS Base\nRUN true\nFROM base\nFROM scratch\n';
    expect(convertDockerfile(text, 'D').text).toBe(
      'FROM --platform=linux/arm64 larder/wolfi-base:latest AS Base\nRUN true\nFROM base\nFROM scratch\n',
    );
  });

  it('uses --org and picks -dev only for stages that run shell commands', () => {
    const text = 'FROM python:3.12 AS a\nRUN pip install x\nFROM python:3.12\nCOPY --from=a /x /x\n';
    expect(convertDockerfile(text, 'D', { org: 'reg.example.com/team' }).text).toBe(
      'FROM reg.example.com/team/python:3.12-dev AS a\nRUN pip install x\nFROM reg.example.com/team/python:3.12\nCOPY --from=a /x /x\n',
    );
  });

  it('rewrites the ARG default when one ARG feeds FROM lines that agree, the FROM line otherwise', () => {
    const agree = `ARG BASE="debian:12"\nFROM \${BASE}\nFROM $BASE\n`;
    expect(convertDockerfile(agree, 'D').text).toBe(
      `ARG BASE=larder/wolfi-base:latest\nFROM \${BASE}\nFROM $BASE\n`,
    );
    const differ = `ARG PY=python:3.12\nFROM \${PY} AS a\nRUN make\nFROM \${PY}\n`;
    expect(convertDockerfile(differ, 'D').text).toBe(
      'ARG PY=python:3.12\nFROM larder/python:3.12-dev AS a\nRUN make\nFROM larder/python:3.12\n',
    );
  });

  it('gives a base stage the -dev variant when a stage built on it runs commands, and USER root where needed', () => {
    const text =
      'FROM python:3.12 AS base\nCOPY . /app\nFROM base AS test\nRUN apt-get install -y git\nFROM base\n';
    expect(convertDockerfile(text, 'D').text).toBe(
      'FROM larder/python:3.12-dev AS base\nCOPY . /app\nFROM base AS test\nUSER root\nRUN apk add --no-cache git\nFROM base\n',
    );
    const chain = [
      'FROM node:20 AS base',
      'RUN apt-get install -y git',
      'FROM base AS child',
      'RUN apt-get install -y curl',
      'FROM base AS other',
      'USER node',
      'FROM other',
      'RUN apt-get install -y make',
      '',
    ].join('\n');
    expect(convertDockerfile(chain, 'D').text).toBe(
      [
        'FROM larder/node:20-dev AS base',
        'USER root',
        'RUN apk add --no-cache git',
        'FROM base AS child',
        'RUN apk add --no-cache curl',
        'FROM base AS other',
        'USER node',
        'FROM other',
        'USER root',
        'RUN apk add --no-cache make',
        '',
      ].join('\n'),
    );
    // A stage on an image the converter does not know is left as its author wrote it.
    expect(convertDockerfile('FROM myorg/app:1 AS a\nFROM a\nRUN apt-get install -y git\n', 'D').text).toBe(
      'FROM myorg/app:1 AS a\nFROM a\nRUN apk add --no-cache git\n',
    );
  });

  it('does not add USER root twice, and keeps CRLF line ends', () => {
    const text = 'FROM node:20\r\nUSER root\r\nRUN apt-get install -y git\r\n';
    expect(convertDockerfile(text, 'D').text).toBe(
      'FROM larder/node:20-dev\r\nUSER root\r\nRUN apk add --no-cache git\r\n',
    );
    const crlf = 'FROM node:20\r\nRUN apt-get install -y git\r\n';
    expect(convertDockerfile(crlf, 'D').text).toBe(
      'FROM larder/node:20-dev\r\nUSER root\r\nRUN apk add --no-cache git\r\n',
    );
  });

  it('removes a RUN left with nothing to do, and flags what it does not convert', () => {
    const text =
      'FROM ubuntu\n# refresh\nRUN apt-get update\nRUN ["sh", "-c", "apt-get install -y git"]\nRUN bash -s <<EOF\napt-get install -y git\nEOF\n';
    const r = convertDockerfile(text, 'Dockerfile');
    expect(r.text).toBe(
      'FROM larder/wolfi-base:latest\n# refresh\nRUN ["sh", "-c", "apt-get install -y git"]\nRUN bash -s <<EOF\napt-get install -y git\nEOF\n',
    );
    expect(r.changes.map((c) => [c.line, c.kind, c.action])).toEqual([
      [1, 'FROM', 'rewritten'],
      [3, 'RUN', 'removed'],
    ]);
    expect(r.flags.map((f) => `${f.line}: ${f.message}`)).toEqual([
      '4: RUN in exec form calls a package tool through another program; convert it by hand',
      '5: RUN with a heredoc is not converted; convert its script by hand',
    ]);
  });

  it('converts RUN in exec form when the result is one command', () => {
    const text = [
      'FROM node:20',
      'RUN ["apt-get", "install", "-y", "libssl-dev", "libfoo-dev"]',
      'RUN ["apt-get","update"]',
      'RUN ["useradd", "-G", "a,b", "app"]',
      'RUN ["apt-get", "install", "-y", "$PKGS"]',
      '',
    ].join('\n');
    const r = convertDockerfile(text, 'Dockerfile');
    expect(r.text).toBe(
      [
        'FROM larder/node:20-dev',
        'USER root',
        'RUN ["apk", "add", "--no-cache", "openssl-dev", "libfoo-dev"]',
        'RUN ["useradd", "-G", "a,b", "app"]',
        'RUN ["apt-get", "install", "-y", "$PKGS"]',
        '',
      ].join('\n'),
    );
    expect(r.flags.map((f) => `${f.line}: ${f.message}`)).toEqual([
      '2: no APK mapping for debian package "libfoo-dev"',
      '4: RUN in exec form becomes several commands; not converted',
      '5: RUN in exec form with words the converter cannot read; not converted',
    ]);
  });

  it('converts the script of RUN <<EOF, keeping its comments and the heredoc lines', () => {
    const text = [
      'FROM debian:12',
      'RUN <<EOF',
      'set -eux',
      'apt-get update',
      '# the tools',
      'apt-get install -y --no-install-recommends \\',
      '    curl \\',
      '    libfoo-dev',
      'rm -rf /var/lib/apt/lists/*',
      'EOF',
      "RUN <<-'SCRIPT'",
      '\tapt-get update',
      '\tapt-get clean',
      '\tSCRIPT',
      '',
    ].join('\n');
    const r = convertDockerfile(text, 'Dockerfile');
    expect(r.text).toBe(
      [
        'FROM larder/wolfi-base:latest',
        'USER root',
        'RUN <<EOF',
        'set -eux',
        '# the tools',
        'apk add --no-cache \\',
        '    curl \\',
        '    libfoo-dev',
        'EOF',
        '',
      ].join('\n'),
    );
    expect(r.flags.map((f) => `${f.line}: ${f.message}`)).toEqual([
      '8: no APK mapping for debian package "libfoo-dev"',
    ]);
    expect(r.changes.map((c) => [c.line, c.kind, c.action])).toEqual([
      [1, 'FROM', 'rewritten'],
      [1, 'USER', 'added'],
      [2, 'RUN', 'rewritten'],
      [11, 'RUN', 'removed'],
    ]);
  });
});

describe('convertDockerfile: bad input', () => {
  it('throws the parser error with file:line', () => {
    let caught: unknown;
    try {
      convertDockerfile(read('bad', 'unknown-instruction.Dockerfile'), 'Dockerfile');
    } catch (err) {
      caught = err;
    }
    expect(isLarderError(caught) && caught.code).toBe('DOCKERFILE_INVALID');
    expect((caught as Error).message).toMatch(/^Dockerfile:3: /);
  });

  it('either rejects a mangled Dockerfile or converts it into one that parses (seeded)', () => {
    const rand = prng(0xd0c4e7);
    const sources = FIXTURES.map((n) => read(n, 'Dockerfile'));
    const junk = [
      '\\',
      '"',
      "'",
      '$',
      '${',
      '<<EOF',
      '&&',
      '|',
      '#',
      ' ',
      '\n',
      'FROM',
      'RUN',
      'apt-get install -y x',
      '`',
    ];
    let converted = 0;
    for (let n = 0; n < 400; n++) {
      const lines = (sources[n % sources.length] ?? '').split('\n');
      for (let k = 0; k < 3; k++) {
        const at = Math.floor(rand() * lines.length);
        const r = rand();
        if (r < 0.3) lines.splice(at, 1);
        else if (r < 0.5) lines.splice(at, 0, lines[Math.floor(rand() * lines.length)] ?? '');
        else {
          const line = lines[at] ?? '';
          const pos = Math.floor(rand() * (line.length + 1));
          lines[at] = line.slice(0, pos) + (junk[Math.floor(rand() * junk.length)] ?? '') + line.slice(pos);
        }
      }
      const text = lines.join('\n');
      let out: string | undefined;
      try {
        out = convertDockerfile(text, 'Dockerfile').text;
      } catch (err) {
        expect(isLarderError(err) && err.code, String(err)).toBe('DOCKERFILE_INVALID');
        continue;
      }
      converted++;
      expect(() => parseDockerfile(out, 'Dockerfile'), text).not.toThrow();
    }
    expect(converted).toBeGreaterThan(100);
  });
});
