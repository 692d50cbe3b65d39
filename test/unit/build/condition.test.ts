// biome-ignore-all lint/suspicious/noTemplateCurlyInString: melange substitutions and Go replacement templates
import { describe, expect, it } from 'vitest';
import { evaluateCondition } from './recipe-kit.js';

describe('if: conditions (melange pkg/cond)', () => {
  it('compares quoted strings with == and !=', () => {
    expect(evaluateCondition("'x86_64' == 'x86_64'")).toBe(true);
    expect(evaluateCondition('"x86_64" != \'aarch64\'')).toBe(true);
    expect(evaluateCondition("'a' == 'b'")).toBe(false);
  });

  it('evaluates && and || strictly left to right, with parentheses', () => {
    // left to right: (true || false) && false = false; with precedence it would be true
    expect(evaluateCondition("'a' == 'a' || 'a' == 'b' && 'a' == 'b'")).toBe(false);
    expect(evaluateCondition("'a' == 'a' || ('a' == 'b' && 'a' == 'b')")).toBe(true);
  });

  it('reads escapes in quoted strings', () => {
    expect(evaluateCondition("'it\\'s' == \"it's\"")).toBe(true);
    expect(evaluateCondition('\'a\\nb\' == "a\nb"')).toBe(true);
  });

  it('resolves ${{var}} through the lookup', () => {
    const lookup = (name: string) => (name === 'build.arch' ? 'aarch64' : undefined);
    expect(evaluateCondition("${{ build.arch }} == 'aarch64'", lookup)).toBe(true);
    expect(() => evaluateCondition("${{nope}} == 'x'", lookup)).toThrow(/variable nope not defined/);
  });

  it('reports malformed conditions with a position', () => {
    expect(() => evaluateCondition("'a' = 'a'")).toThrow(/expected '==' or '!=' at position 4/);
    expect(() => evaluateCondition("('a' == 'a'")).toThrow(/expected '\)'/);
    expect(() => evaluateCondition("'a' == 'a' junk")).toThrow(/unexpected trailing input/);
    expect(() => evaluateCondition("'a' == 'abc")).toThrow(/unterminated string literal/);
    expect(() => evaluateCondition('x86_64 == aarch64')).toThrow(/unexpected character 'x' at position 0/);
  });
});
