// Where JSON text goes wrong, as line:column: Node 20's JSON.parse messages do not always give a
// position, so a small validating scanner finds the first offending character.

/** `line L:C` (1-based) of the first syntax error in `text`, or undefined when it is valid JSON. */
export function jsonErrorPosition(text: string): string | undefined {
  const offset = firstError(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}:${before[before.length - 1]!.length + 1}`;
}

function firstError(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  // Each parser returns true on success, leaving `i` after the value; on failure `i` is the error.
  const value = (depth: number): boolean => {
    ws();
    if (depth > 512) return false;
    const c = text[i];
    if (c === '{') return container('}', depth, true);
    if (c === '[') return container(']', depth, false);
    if (c === '"') return string();
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal === null) return false;
    i += literal[0].length;
    return true;
  };
  const string = (): boolean => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return true;
      }
      if (c < ' ') return false;
      if (c === '\\') {
        const esc = text[i + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
          continue;
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) return false;
        i += 2;
        continue;
      }
      i++;
    }
    return false;
  };
  const container = (close: string, depth: number, keyed: boolean): boolean => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return true;
    }
    for (;;) {
      if (keyed) {
        ws();
        if (text[i] !== '"' || !string()) return false;
        ws();
        if (text[i] !== ':') return false;
        i++;
      }
      if (!value(depth + 1)) return false;
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return true;
      }
      return false;
    }
  };
  if (!value(0)) return Math.min(i, text.length);
  ws();
  return i < text.length ? i : undefined;
}
