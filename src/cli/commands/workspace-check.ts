import { relative } from 'node:path';
import { formatPlacedIssue, type PlacedIssue, sortPlacedIssues } from '../../core/index.js';
import { loadWorkspace, type Workspace } from '../../factory/index.js';
import { checkAdvisoryDirectory } from '../../vuln/index.js';
import { ExitStatus } from '../program.js';

/**
 * `larder workspace check DIR`: loads the workspace and prints what it holds (recipes with
 * `version-rN` and archs, images with their publish references, advisory files), then every
 * problem (a recipe or image that does not load, an invalid advisory file) at file:line:col.
 * `--json`: the Workspace (model.ts) plus `problems`, on one line. Exit 0 when there is no
 * problem, 1 when any; a broken larder.yaml is an error (exit 2).
 */
export async function workspaceCheck(dir: string, opts: { json?: boolean } = {}): Promise<void> {
  const ws = await loadWorkspace(dir);
  const problems = [
    ...ws.recipes.flatMap((r) => (r.problem === undefined ? [] : r.problem.split('\n'))),
    ...ws.images.flatMap((i) => (i.problem === undefined ? [] : i.problem.split('\n'))),
    ...(await advisoryProblems(ws)),
  ];
  if (opts.json === true) {
    process.stdout.write(`${JSON.stringify({ ...ws, problems })}\n`);
    if (problems.length > 0) throw new ExitStatus(1);
    return;
  }
  const out = [...summary(ws)];
  if (problems.length > 0) out.push(`problems (${problems.length}):`, ...problems);
  else out.push('no problems');
  process.stdout.write(`${out.join('\n')}\n`);
  if (problems.length > 0) throw new ExitStatus(1);
}

function summary(ws: Workspace): string[] {
  const rel = (file: string) => relative(ws.root, file);
  const lines = [`workspace ${ws.root}`, `recipes (${ws.recipes.length}):`];
  for (const r of ws.recipes) {
    const what = r.problem === undefined ? `${r.version}-r${r.epoch} [${r.archs.join(', ')}]` : 'PROBLEM';
    lines.push(`  ${r.name} ${what}  ${rel(r.file)}`);
  }
  lines.push(`images (${ws.images.length}):`);
  for (const i of ws.images) {
    const where = i.publish.length === 0 ? 'not published' : `-> ${i.publish.join(', ')}`;
    lines.push(`  ${i.name} ${i.problem === undefined ? where : 'PROBLEM'}  ${rel(i.configFile)}`);
  }
  lines.push(`advisory files (${ws.advisoryFiles.length}):`, ...ws.advisoryFiles.map((f) => `  ${rel(f)}`));
  return lines;
}

async function advisoryProblems(ws: Workspace): Promise<string[]> {
  if (ws.advisoryFiles.length === 0) return [];
  const checks = await checkAdvisoryDirectory(`${ws.root}/advisories`);
  const issues: PlacedIssue[] = checks.flatMap((c) =>
    c.issues.map((issue) => ({ ...issue, file: relative(ws.root, issue.file) })),
  );
  return sortPlacedIssues(issues).map(formatPlacedIssue);
}
