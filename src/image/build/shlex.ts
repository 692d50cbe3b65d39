import { LarderError } from '../../core/index.js';

/**
 * Splits a command line into words as apko does (google/shlex, POSIX-like): blanks separate
 * words, single quotes keep everything literally, double quotes allow `\"`, `\\`, `\$` and
 * `` \` `` escapes, a backslash outside quotes escapes the next character, `#` at the start of
 * a word begins a comment. Unterminated quotes or a trailing backslash are errors.
 */
export function shellSplit(text: string, field = 'command'): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const fail = (why: string) =>
    new LarderError('CONFIG_INVALID', `${field}: ${why} in ${JSON.stringify(text)}`);
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw fail('unterminated single quote');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length) throw fail('unterminated double quote');
        const d = text[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) {
          out += text[i + 1];
          i += 2;
        } else {
          out += d;
          i++;
        }
      }
      word = (word ?? '') + out;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw fail('trailing backslash');
      word = (word ?? '') + text[i + 1];
      i += 2;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
