import { describe, expect, it } from 'vitest';
import { rewriteShell } from '../../../../src/dockerfile/convert/rewrite-shell.js';
import { dropCommands, splitCommands } from '../../../../src/dockerfile/convert/shell-commands.js';
import { lexShell } from '../../../../src/dockerfile/convert/shell-lex.js';
import { prng } from '../../../kit/prng.js';

const words = (text: string): Array<string | undefined> =>
  lexShell(text).tokens.flatMap((t) => (t.kind === 'word' ? [t.value] : []));

describe('lexShell', () => {
  it('keeps quotes, substitutions and escapes inside one word', () => {
    expect(words(`echo 'a b' "c $d" $(ls "x y") \`pwd\` e\\ f`)).toEqual([
      'echo',
      'a b',
      undefined,
      undefined,
      undefined,
      'e f',
    ]);
    expect(words(`a\${B:-x y}c`)).toEqual([undefined]);
    expect(words('ls *.txt')).toEqual(['ls', undefined]);
  });

  it('splits on control operators and knows redirections', () => {
    const ops = lexShell('a && b || c; d | e & f\ng').tokens.flatMap((t) => (t.kind === 'op' ? [t.op] : []));
    expect(ops).toEqual(['&&', '||', ';', '|', '&', '\n']);
    const kinds = lexShell('make >/dev/null 2>&1').tokens.map((t) => t.kind);
    expect(kinds).toEqual(['word', 'redirect', 'word', 'redirect', 'word']);
  });

  it('treats continuations and the comment lines inside them as blanks', () => {
    const lex = lexShell('a \\\n# note\n\n   b \\  \n  c');
    expect(lex.tokens.map((t) => (t.kind === 'word' ? t.value : t.kind))).toEqual(['a', 'b', 'c']);
  });

  it('reads a script: newlines separate commands, comments end with their line', () => {
    const lex = lexShell('a \\\nb # c && d\ne', '\\', { script: true });
    expect(lex.tokens.map((t) => (t.kind === 'word' ? t.value : t.kind === 'op' ? t.op : t.kind))).toEqual([
      'a',
      'b',
      '\n',
      'e',
    ]);
    expect(lex.opaqueFrom).toBeUndefined();
  });

  it('stops at a shell comment or an unterminated quote', () => {
    expect(lexShell('a # b').opaqueFrom).toBe(2);
    expect(lexShell('echo "open').opaqueFrom).toBe(5);
    expect(lexShell('echo $(open').opaqueFrom).toBe(5);
  });

  it('gives offsets that slice back to each raw word', () => {
    const text = 'apt-get install -y "a b" c\\\n  d';
    for (const t of lexShell(text).tokens) {
      if (t.kind === 'word') expect(text.slice(t.start, t.end)).toBe(t.raw);
    }
  });

  it('splits commands after reserved words', () => {
    const cmds = splitCommands(lexShell('if true; then apt-get update; fi'));
    expect(cmds.map((c) => [c.prefixed, c.tokens.length])).toEqual([
      [true, 1],
      [true, 2],
      [false, 1],
    ]);
    expect(dropCommands(cmds, new Set([1]), false).edits).toEqual([{ start: 14, end: 28, text: 'true' }]);
  });
});

describe('shell rewriting on broken and random input', () => {
  const ALPHABET = [
    'apt-get',
    'install',
    '-y',
    'update',
    'curl',
    'rm',
    '-rf',
    '/var/lib/apt/lists/*',
    'useradd',
    'usermod',
    '-aG',
    '-m',
    'app',
    'apk',
    'add',
    'yum',
    '&&',
    '||',
    ';',
    '|',
    '(',
    ')',
    '"',
    "'",
    '$(',
    '`',
    '\\\n',
    '#',
    ' ',
    '  ',
    '>',
    '2>&1',
    'then',
    'fi',
    '$X',
    '{',
    '}',
    '\n',
  ];

  it('never throws, keeps offsets in bounds and is idempotent', () => {
    const rand = prng(0x5eed);
    for (let n = 0; n < 3000; n++) {
      const parts: string[] = [];
      const len = 1 + Math.floor(rand() * 14);
      for (let i = 0; i < len; i++) parts.push(ALPHABET[Math.floor(rand() * ALPHABET.length)] ?? ' ', ' ');
      const text = parts.join('');
      const lex = lexShell(text);
      let last = 0;
      for (const t of lex.tokens) {
        expect(t.start).toBeGreaterThanOrEqual(last);
        expect(t.end).toBeGreaterThan(t.start);
        expect(t.end).toBeLessThanOrEqual(text.length);
        last = t.end;
      }
      const once = rewriteShell(text);
      for (const f of once.flags) expect(f.offset).toBeLessThanOrEqual(text.length);
      if (!once.empty) {
        // What the first pass wrote is already converted: a second pass changes nothing.
        expect(rewriteShell(once.text).text, JSON.stringify(text)).toBe(once.text);
      }
      const script = rewriteShell(text, '\\', { script: true });
      if (!script.empty) {
        expect(rewriteShell(script.text, '\\', { script: true }).text, JSON.stringify(text)).toBe(
          script.text,
        );
      }
    }
  });
});
