import { toApkArch } from '../../apk/index.js';
import { LarderError, writeFileAtomic } from '../../core/index.js';
import { formatSecdbJson, readAdvisoryDirectory, type SecdbOptions, toSecdb } from '../../vuln/index.js';

/** Options of `advisory export-secdb`. */
export interface AdvisoryExportSecdbOptions {
  readonly output?: string;
  readonly arch?: string[];
  readonly urlprefix?: string;
  readonly reponame?: string;
  readonly repoUrl?: string;
}

/**
 * `larder advisory export-secdb DIR [-o FILE] [--arch A]... [--urlprefix URL --reponame NAME |
 * --repo-url URL]`: the secdb as wolfictl writes it, atomically to FILE (whose path is printed)
 * or to stdout.
 */
export async function advisoryExportSecdb(dir: string, raw: Record<string, unknown>): Promise<void> {
  const o = raw as AdvisoryExportSecdbOptions;
  const options = secdbOptions(o);
  const docs = await readAdvisoryDirectory(dir);
  if (docs.length === 0)
    throw new LarderError('NOT_FOUND', `no *.advisories.yaml files in ${dir}`, { subject: dir });
  const json = formatSecdbJson(toSecdb(docs, options));
  if (o.output === undefined) {
    process.stdout.write(`${json}\n`);
    return;
  }
  await writeFileAtomic(o.output, json);
  process.stdout.write(`${o.output}\n`);
}

function secdbOptions(o: AdvisoryExportSecdbOptions): SecdbOptions {
  const archs = [...new Set((o.arch ?? []).flatMap((a) => a.split(',')).filter((a) => a.trim() !== ''))].map(
    (a) => toApkArch(a.trim()),
  );
  let { urlprefix, reponame } = o;
  if (o.repoUrl !== undefined) {
    if (urlprefix !== undefined || reponame !== undefined)
      throw new LarderError(
        'USAGE',
        '--repo-url sets both the URL prefix and the repository name: give it alone',
      );
    const url = o.repoUrl.replace(/\/+$/, '');
    const slash = url.lastIndexOf('/');
    if (slash <= 0 || !/^[a-z][a-z0-9+.-]*:\/\/[^/]+\/./i.test(url))
      throw new LarderError(
        'USAGE',
        `--repo-url '${o.repoUrl}': expected URLPREFIX/REPONAME, e.g. https://packages.wolfi.dev/os`,
      );
    urlprefix = url.slice(0, slash);
    reponame = url.slice(slash + 1);
  }
  return {
    ...(archs.length > 0 && { archs: [...new Set(archs)] }),
    ...(urlprefix !== undefined && { urlprefix }),
    ...(reponame !== undefined && { reponame }),
  };
}
