import { LarderError } from '../../core/index.js';
import { type Catalog, type CatalogOptions, catalogTarget, type Distro } from '../../vuln/index.js';
import { cliRegistryClient } from '../registry-client.js';

/**
 * `larder catalog TARGET [--json] [--platform P] [--distro ID[:VERSION]] [--insecure]`: the
 * catalog on stdout (a table, or compact JSON of the Catalog model), warnings about files that
 * could not be read on stderr.
 */
export async function catalogCommand(
  target: string,
  opts: { json?: boolean; platform?: string; distro?: string; insecure?: boolean },
): Promise<void> {
  const client = cliRegistryClient({ insecure: opts.insecure });
  let catalog: Catalog;
  try {
    const options: CatalogOptions = {
      registry: { client },
      ...(opts.platform === undefined ? {} : { platform: opts.platform }),
      ...(opts.distro === undefined ? {} : { distro: parseDistro(opts.distro) }),
    };
    catalog = await catalogTarget(target, options);
  } finally {
    await client.close();
  }
  for (const w of catalog.warnings ?? []) process.stderr.write(`larder: warning: ${w}\n`);
  process.stdout.write(opts.json === true ? `${JSON.stringify(catalog)}\n` : renderTable(catalog));
}

/** `wolfi`, `alpine:3.20`. */
export function parseDistro(text: string): Distro {
  const [id, versionId, extra] = text.split(':');
  if (id === undefined || !/^[a-z0-9._-]+$/.test(id) || extra !== undefined || versionId === '') {
    throw new LarderError(
      'USAGE',
      `--distro ${JSON.stringify(text)}: expected ID or ID:VERSION, e.g. wolfi or alpine:3.20`,
    );
  }
  return versionId === undefined ? { id } : { id, versionId };
}

function renderTable(catalog: Catalog): string {
  const head = [
    `${catalog.source.kind} ${catalog.source.target}${catalog.source.digest ? ` (${catalog.source.digest})` : ''}`,
    `distro: ${catalog.distro ? `${catalog.distro.id}${catalog.distro.versionId ? ` ${catalog.distro.versionId}` : ''}` : 'unknown'}`,
    `packages: ${catalog.packages.length}`,
  ];
  const rows = [['TYPE', 'NAME', 'VERSION', 'ORIGIN', 'LOCATION', 'OWNED BY']];
  for (const p of catalog.packages) {
    rows.push([
      p.ecosystem,
      p.name,
      p.version,
      p.origin !== undefined && p.origin !== p.name ? p.origin : '',
      p.locations[0] ?? '',
      p.ownedBy ?? '',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  return `${head.join('\n')}\n\n${lines.join('\n')}\n`;
}
