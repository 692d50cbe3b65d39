/** One `WWW-Authenticate` challenge: the scheme (lower case) and its parameters. */
export interface AuthChallenge {
  readonly scheme: 'basic' | 'bearer' | string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses `WWW-Authenticate` values (RFC 7235 auth-params: `key="value"` or `key=token`,
 * comma separated, values may hold quoted commas such as `scope="repository:a:pull,push"`).
 * Several challenges may share one header or come in several headers; all are returned.
 */
export function parseChallenges(values: string | readonly string[] | undefined): AuthChallenge[] {
  const all = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  const out: AuthChallenge[] = [];
  for (const value of all) out.push(...parseOne(value));
  return out;
}

const SCHEME = /^\s*,?\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?=\s|$|,)/;
const PARAM = /^\s*,?\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/;

function parseOne(text: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let rest = text;
  let current: { scheme: string; params: Record<string, string> } | undefined;
  while (rest.trim() !== '' && rest.trim() !== ',') {
    const param = PARAM.exec(rest);
    if (param !== null && current !== undefined) {
      current.params[param[1]!.toLowerCase()] = param[2]?.replace(/\\(.)/g, '$1') ?? param[3] ?? '';
      rest = rest.slice(param[0].length);
      continue;
    }
    const scheme = SCHEME.exec(rest);
    if (scheme === null) break;
    current = { scheme: scheme[1]!.toLowerCase(), params: {} };
    out.push(current);
    rest = rest.slice(scheme[0].length);
  }
  return out;
}

/** The repository scope string of the token spec: `repository:team/app:pull,push`. */
export function repositoryScope(repository: string, actions: 'pull' | 'pull,push'): string {
  return `repository:${repository}:${actions}`;
}

/**
 * Merges scopes naming the same resource (`repository:a:pull` + `repository:a:push` →
 * `repository:a:pull,push`), sorted, so equal needs share one cached token.
 */
export function mergeScopes(scopes: Iterable<string>): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const at = scope.lastIndexOf(':');
    if (at <= 0) continue;
    const resource = scope.slice(0, at);
    const actions = byResource.get(resource) ?? new Set<string>();
    for (const action of scope.slice(at + 1).split(',')) if (action !== '') actions.add(action);
    byResource.set(resource, actions);
  }
  return [...byResource].map(([resource, actions]) => `${resource}:${[...actions].sort().join(',')}`).sort();
}
