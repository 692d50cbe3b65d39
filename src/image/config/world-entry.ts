/**
 * Validation of `contents.packages` entries. An entry must be a valid apk dependency
 * (parseDependency) AND mean the same thing to apko, whose `ResolvePackageNameVersionPin`
 * (pkg/apk/apk/version.go) is much narrower than apk-tools:
 * - it matches `^([^@=><~]+)(([=><~]+)([^@]+))?(@([a-zA-Z0-9]+))?$`, so the tag goes after the
 *   version (`foo=1.2@tag`); `foo@tag=1.2` is taken whole as a package name;
 * - it knows only `=`, `>`, `<`, `>=`, `<=`, `~` and `=~`: any other run (`==`, `=>`, `~=`,
 *   `><`) silently becomes "any version".
 * Both would lock something other than what the user wrote, so both are reported.
 */
import { parseDependency } from '../../apk/index.js';

const APKO_ENTRY = /^([^@=><~]+)(([=><~]+)([^@]+))?(@([a-zA-Z0-9]+))?$/;
const APKO_OPERATORS: ReadonlySet<string> = new Set(['=', '>', '<', '>=', '<=', '~', '=~']);

/** Why `text` cannot be a world entry of an apko config, or undefined when it can. */
export function worldEntryProblem(text: string): string | undefined {
  try {
    parseDependency(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^invalid dependency '.*?': /, '') : String(err);
    return `'${text}' is not a valid dependency (${why})`;
  }
  // apko handles `!name` conflicts in its solver; the regex below would reject the `!`.
  const body = text.startsWith('!') ? text.slice(1) : text;
  const match = APKO_ENTRY.exec(body);
  if (match === null) {
    return body.includes('@')
      ? `'${text}' is not a valid dependency for apko (write the tag last, 'name=version@tag', with a tag of letters and digits)`
      : `'${text}' is not a valid dependency for apko`;
  }
  const op = match[3];
  if (op !== undefined && !APKO_OPERATORS.has(op)) {
    return `'${text}' is not a valid dependency: apko reads operator '${op}' as "any version" (use =, <, <=, >, >=, ~ or =~)`;
  }
  return undefined;
}
