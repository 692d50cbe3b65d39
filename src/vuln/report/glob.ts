// Path globs for ignore rules' `package.location`: `**` crosses directories, `*` and `?` do not,
// `[abc]`/`[!a-z]` classes and `{a,b}` alternatives. Paths compare without a leading slash.

/** A matcher for `pattern`, or a problem describing why it is not a glob. */
export function compileGlob(pattern: string): ((path: string) => boolean) | { problem: string } {
  const source = pattern.replace(/^\/+/, '');
  let re = '';
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '*') {
      if (source[i + 1] === '*') {
        i++;
        // `**/` also matches no directory at all.
        if (source[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = source.indexOf(']', i + 2);
      if (end < 0) return { problem: `unclosed '[' at character ${i + 1}` };
      let body = source.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{') {
      depth++;
      re += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      re += ')';
    } else if (c === ',' && depth > 0) re += '|';
    else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  if (depth > 0) return { problem: "unclosed '{'" };
  let regex: RegExp;
  try {
    regex = new RegExp(`^${re}$`, 'u');
  } catch (err) {
    return { problem: (err as Error).message };
  }
  return (path: string) => regex.test(path.replace(/^\/+/, ''));
}
