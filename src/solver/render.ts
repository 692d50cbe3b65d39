/**
 * Renders solver problems as apk-tools prints them (`apk_solver_print_errors` with
 * `apk_print_indented*` from src/print.c): a label line per block, then `    label: words`
 * groups wrapped at the screen width with continuation lines aligned under the first word.
 */
import type { SolverConflict, SolverProblem, SolverRequirer } from './types.js';

/** Options of {@link renderProblems}. */
export interface RenderOptions {
  /** Wrap width; apk uses the terminal width, or 50 when stdout is not a terminal. */
  readonly width?: number;
  /** Also render the problems apk counts but does not print (`unfulfilled-dependency`). */
  readonly extended?: boolean;
}

/** apk `struct apk_indent` and its printing functions. */
class Indenter {
  text = '';
  private x = 0;
  private indent = 0;
  private label: string | undefined;
  labels = 0;

  constructor(private readonly width: number) {}

  block(label: string): void {
    this.label = label;
  }

  /** `label_start`: print a pending block label, then open a group unless one is open. */
  start(group: string): void {
    if (this.label !== undefined) {
      this.text += `  ${this.label}:\n`;
      this.x = 0;
      this.indent = 0;
      this.label = undefined;
      this.labels++;
    }
    if (this.x === 0) {
      const head = `    ${group}`;
      this.text += head;
      this.x = head.length;
      this.indent = this.x + 1;
    }
  }

  word(w: string): void {
    if (this.x <= this.indent) {
      this.text += ' '.repeat(this.indent - this.x) + w;
      this.x = this.indent + w.length;
    } else if (this.x + w.length + 1 >= this.width) {
      this.text += `\n${' '.repeat(this.indent)}${w}`;
      this.x = this.indent + w.length;
    } else {
      this.text += ` ${w}`;
      this.x += w.length + 1;
    }
  }

  group(group: string, words: readonly string[]): void {
    for (const w of words) {
      this.start(group);
      this.word(w);
    }
    this.end();
  }

  end(): void {
    if (this.x !== 0) {
      this.text += '\n';
      this.x = 0;
      this.indent = 0;
    }
  }
}

const NOTE = "please select one of the 'provided by' packages explicitly";

function requirerText(r: SolverRequirer): string {
  switch (r.kind) {
    case 'world':
      return `world[${r.dependency}]`;
    case 'package':
      return `${r.name}-${r.version}[${r.dependency}]`;
  }
}

function conflictText(c: SolverConflict): string {
  const pkg = `${c.package.name}-${c.package.version}`;
  return c.provide === undefined ? pkg : `${pkg}[${c.provide}]`;
}

function renderOne(out: Indenter, p: SolverProblem, extended: boolean): void {
  switch (p.kind) {
    case 'no-such-package':
      out.block(`${p.name} (no such package)`);
      out.start('required by:');
      out.group('required by:', p.requiredBy.map(requirerText));
      return;
    case 'virtual':
      out.block(`${p.name} (virtual)`);
      out.start('note:');
      out.group('note:', NOTE.split(' '));
      out.start('provided by:');
      out.group('provided by:', p.providedBy);
      out.start('required by:');
      out.group('required by:', p.requiredBy.map(requirerText));
      return;
    case 'package':
      out.block(`${p.package.name}-${p.package.version}`);
      out.group('masked in:', p.maskedIn);
      out.group('conflicts:', p.conflicts.map(conflictText));
      out.group('breaks:', p.breaks.map(requirerText));
      out.group('satisfies:', p.satisfies.map(requirerText));
      return;
    case 'unfulfilled-dependency': {
      if (!extended) return;
      out.block(`${p.package.name}-${p.package.version}`);
      const chosen = p.chosen === undefined ? 'nothing' : `${p.chosen.name}-${p.chosen.version}`;
      out.group(p.propagated ? 'depends on broken:' : 'unfulfilled:', [
        `${p.dependency}`,
        `(chosen:`,
        `${chosen})`,
      ]);
      return;
    }
    case 'missing-tag':
      return;
  }
}

/**
 * Renders problems in apk's words. Missing repository tags (E25) give apk's WARNING and refusal
 * lines; everything else gives `ERROR: unable to select packages:` and one block per problem.
 */
export function renderProblems(problems: readonly SolverProblem[], options: RenderOptions = {}): string {
  const missing = problems.filter((p) => p.kind === 'missing-tag');
  if (missing.length > 0) {
    const lines = missing.map(
      (p) => `WARNING: The repository tag for world dependency '${p.dependency}@${p.tag}' does not exist\n`,
    );
    return `${lines.join('')}ERROR: Not committing changes due to missing repository tags. Use --force-broken-world to override.\n`;
  }
  const out = new Indenter(options.width ?? 50);
  for (const p of problems) renderOne(out, p, options.extended === true);
  const body = out.labels === 0 ? 'Huh? Error reporter did not find the broken constraints.\n' : out.text;
  return `ERROR: unable to select packages:\n${body}`;
}
