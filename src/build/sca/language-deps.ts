import { posix } from 'node:path';
import type { ScaFindings } from './types.js';
import type { TreeNode } from './walk.js';

/**
 * melange's perl, python, ruby and doc generators: a package shipping Perl modules depends on
 * `perl~X.Y`, Python modules on `python-X.Y-base`, Ruby gems on `ruby-X.Y`; a `-doc` package
 * with man pages on `man-db` and with info pages on `texinfo`. The language dependencies are
 * skipped when the recipe already names one.
 */
export function scanLanguageDeps(
  nodes: readonly TreeNode[],
  packageName: string,
  declared: readonly string[],
  out: ScaFindings,
): void {
  const paths = nodes.map((n) => n.path);
  // fs.Glob("usr/lib/perl[0-9]*/*_perl") then "lib/perl[0-9]*/*_perl", in that order.
  const perl = [/^usr\/lib\/perl\d[^/]*\/[^/]*_perl$/, /^lib\/perl\d[^/]*\/[^/]*_perl$/].flatMap((re) =>
    paths.filter((p) => re.test(p)),
  );
  const perlDir = perl[0]?.split('/')[perl[0].startsWith('usr/') ? 2 : 1];
  if (perlDir !== undefined && !declared.includes('perl')) out.runtime.push(`perl~${perlDir.slice(4)}`);

  let python = '';
  for (const n of nodes) {
    if (n.kind !== 'dir' || posix.basename(n.path) !== 'site-packages') continue;
    const parent = posix.basename(posix.dirname(n.path));
    if (parent.startsWith('python')) python = parent.slice(6);
  }
  if (python !== '' && !declared.some((d) => d.startsWith('python')))
    out.runtime.push(`python-${python}-base`);

  const gems = [
    /^usr\/lib\/ruby\/gems\/\d[^/]*\.\d[^/]*\.[0.9][^/]*\/gems$/,
    /^lib\/ruby\/gems\/\d[^/]*\.\d[^/]*\.[0.9][^/]*\/gems$/,
  ].flatMap((re) => paths.filter((p) => re.test(p)));
  if (gems[0] !== undefined) {
    const full = posix.basename(posix.dirname(gems[0]));
    const ext = posix.extname(full);
    const ver = ext === '' ? full : full.slice(0, -ext.length);
    if (ver !== '' && !declared.some((d) => d.startsWith('ruby-') || d === 'ruby'))
      out.runtime.push(`ruby-${ver}`);
  }

  if (!packageName.endsWith('-doc')) return;
  for (const p of paths) {
    const parent = posix.dirname(p);
    if (parent === 'usr/share/man') out.runtime.push('man-db');
    if (parent === 'usr/share/info') out.runtime.push('texinfo');
  }
}
