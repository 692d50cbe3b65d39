// Where JSON text first goes wrong. V8's JSON.parse names a position for some errors only
// ("Unexpected token '}', ... is not valid JSON" has none), so on failure the text is walked
// once more by this small validator to find the offset for a line:col message.

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** The offset of the first error in `text`, or undefined when it is valid JSON. */
export function jsonErrorPosition(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): boolean => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const value = (depth: number): boolean => {
    ws();
    const c = text[i];
    if (depth > 10_000) return false;
    if (c === '"') return string();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return true;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"' || !string()) return false;
          ws();
          if (text[i] !== ':') return false;
          i++;
        }
        if (!value(depth + 1)) return false;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return true;
        } else return false;
      }
    }
    for (const re of [NUMBER, LITERAL]) {
      re.lastIndex = i;
      if (re.test(text)) {
        i = re.lastIndex;
        return true;
      }
    }
    return false;
  };
  if (!value(0)) return i;
  ws();
  return i < text.length ? i : undefined;
}
