import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_TEMPLATE } from '../../../../src/factory/index.js';
import { ROOT } from '../../../kit/paths.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('the larder init template', () => {
  it('is examples/factory, file for file', () => {
    const dir = join(ROOT, 'examples', 'factory');
    const onDisk = Object.fromEntries(
      filesUnder(dir)
        .map((f) => [relative(dir, f), readFileSync(f, 'utf8')] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    expect(WORKSPACE_TEMPLATE).toEqual(onDisk);
  });

  it('builds the example sources from the recipes source directories (no fetch of tarballs)', () => {
    for (const name of ['libgreet', 'greet']) {
      expect(WORKSPACE_TEMPLATE[`recipes/${name}.yaml`]).not.toContain('uses: fetch');
      expect(WORKSPACE_TEMPLATE[`recipes/${name}/Makefile`]).toBe(
        readFileSync(join(ROOT, 'examples', 'build', 'src', name, 'Makefile'), 'utf8'),
      );
    }
  });
});
