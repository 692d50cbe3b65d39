import { extractFlags, splitKeyword, splitRawWords, tryJsonForm } from './words.js';

/**
 * Heredoc markers on an instruction line (`<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`), as
 * BuildKit finds them: only RUN, COPY and ADD (also as ONBUILD triggers) in shell form, each
 * marker a whole word of the line, several per line, bodies following in order.
 */

export interface HeredocMarker {
  readonly name: string;
  /** `<<-`: leading tabs are removed from the body lines and the delimiter line. */
  readonly chomp: boolean;
  /** False when any part of the name was quoted. */
  readonly expand: boolean;
}

const HEREDOC_KEYWORDS = new Set(['run', 'copy', 'add']);
const MARKER = /^\d*<<(-?)([^<]*)$/;

/** Whether a word is a heredoc marker (`<<EOF`, `<<-"EOF"`, `2<<EOF`). */
export function isHeredocMarker(word: string): boolean {
  const raw = MARKER.exec(word)?.[2];
  return raw !== undefined && raw !== '';
}

/** Whether an instruction line may carry heredocs (BuildKit's `canContainHeredoc`). */
function canContainHeredoc(line: string): boolean {
  let { keyword, rest } = splitKeyword(line);
  if (keyword.toLowerCase() === 'onbuild') ({ keyword, rest } = splitKeyword(rest));
  if (!HEREDOC_KEYWORDS.has(keyword.toLowerCase())) return false;
  return tryJsonForm(extractFlags(rest).args).kind !== 'json';
}

/**
 * The name of a marker with quotes and escapes removed, and whether a quote was used (BuildKit
 * then takes the body literally; an escape alone does not stop expansion).
 */
function unquote(raw: string, escapeChar: string): { name: string; quoted: boolean } {
  let name = '';
  let quote = '';
  let quoted = false;
  const chars = Array.from(raw);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (quote !== '') {
      if (ch === quote) quote = '';
      else if (ch === escapeChar && quote === '"' && i + 1 < chars.length) name += chars[++i] ?? '';
      else name += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      quoted = true;
    } else if (ch === escapeChar) {
      name += chars[++i] ?? '';
    } else {
      name += ch;
    }
  }
  return { name, quoted };
}

/** The heredoc markers of a logical line, in order. */
export function heredocsOfLine(line: string, escapeChar: string): HeredocMarker[] {
  if (!line.includes('<<') || !canContainHeredoc(line)) return [];
  const markers: HeredocMarker[] = [];
  for (const word of splitRawWords(line, escapeChar)) {
    const m = MARKER.exec(word);
    const raw = m?.[2];
    if (m === null || raw === undefined || raw === '') continue;
    const { name, quoted } = unquote(raw, escapeChar);
    if (name === '') continue;
    markers.push({ name, chomp: m[1] === '-', expand: !quoted });
  }
  return markers;
}
