/**
 * The parsed Dockerfile: what BuildKit's `parser.Parse` + `instructions.Parse` produce, as
 * plain data. Words are kept RAW (quotes and `$VAR` untouched) wherever BuildKit expands them
 * at build time against the stage's ENV and ARGs (see `expand.ts`): the builder expands them,
 * the converter rewrites the raw text, and nothing is lost.
 */

/** Where an instruction is: the file as named to the parser and its 1-based lines. */
export interface SourceSpan {
  readonly file: string;
  /** First line of the instruction (its keyword). */
  readonly line: number;
  /** Last line, continuation lines and heredoc bodies included. */
  readonly endLine: number;
}

/** Parser directives at the top of the file (`# syntax=`, `# escape=`, `# check=`). */
export interface Directives {
  readonly syntax?: string;
  /** `\` (default) or `` ` ``. */
  readonly escape: '\\' | '`';
  readonly check?: string;
}

/** A heredoc attached to an instruction: `<<EOF`, `<<-EOF` (tabs stripped), `<<"EOF"` (no expansion). */
export interface Heredoc {
  readonly name: string;
  /** The body, each line ending in `\n`, leading tabs already removed for `<<-`. */
  readonly content: string;
  /** False when the delimiter was quoted: the body is taken literally. */
  readonly expand: boolean;
}

/** `--name=value` flags before the arguments (`--from=build`, `--chmod=755`, `--network=none`). */
export interface InstructionFlag {
  readonly name: string;
  /** Undefined for a bare `--link`. Raw (expanded at build time where BuildKit does). */
  readonly value: string | undefined;
}

/** RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK command: JSON (exec) form or shell form. */
export type CommandForm =
  | { readonly form: 'exec'; readonly argv: readonly string[] }
  /** Shell form: the raw text after the keyword and flags, continuation lines joined. */
  | { readonly form: 'shell'; readonly text: string };

/** `KEY=value` pairs of ENV and LABEL, raw (quotes kept), in order. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

interface Base {
  readonly span: SourceSpan;
  /** The instruction's text exactly as written (continuations and heredocs included). */
  readonly original: string;
  readonly flags: readonly InstructionFlag[];
}

export type Instruction =
  | (Base & {
      readonly kind: 'FROM';
      readonly image: string;
      readonly as?: string;
      readonly platform?: string;
    })
  | (Base & { readonly kind: 'RUN'; readonly command: CommandForm; readonly heredocs: readonly Heredoc[] })
  | (Base & {
      readonly kind: 'COPY' | 'ADD';
      /** Raw source words (JSON form already unquoted), heredoc names appear as `<<EOF` words. */
      readonly sources: readonly string[];
      readonly dest: string;
      readonly heredocs: readonly Heredoc[];
    })
  | (Base & { readonly kind: 'ENV' | 'LABEL'; readonly pairs: readonly KeyValue[] })
  | (Base & {
      readonly kind: 'ARG';
      readonly args: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
    })
  | (Base & { readonly kind: 'WORKDIR' | 'USER' | 'STOPSIGNAL'; readonly value: string })
  | (Base & { readonly kind: 'ENTRYPOINT' | 'CMD'; readonly command: CommandForm })
  | (Base & { readonly kind: 'SHELL'; readonly argv: readonly string[] })
  | (Base & { readonly kind: 'EXPOSE' | 'VOLUME'; readonly values: readonly string[] })
  | (Base & {
      readonly kind: 'HEALTHCHECK';
      /** `HEALTHCHECK NONE` is `{ none: true }`; flags (--interval ...) are in `flags`. */
      readonly check: { readonly none: true } | { readonly none: false; readonly command: CommandForm };
    })
  | (Base & { readonly kind: 'MAINTAINER'; readonly value: string })
  | (Base & { readonly kind: 'ONBUILD'; readonly trigger: string });

export type InstructionKind = Instruction['kind'];

/** One `FROM` and what follows it up to the next `FROM`. */
export interface Stage {
  /** 0-based position. */
  readonly index: number;
  /** `AS name`, lowercased as BuildKit does; undefined without. */
  readonly name?: string;
  readonly from: Extract<Instruction, { kind: 'FROM' }>;
  /** Instructions after FROM, in order. */
  readonly instructions: readonly Instruction[];
}

/** A whole Dockerfile. */
export interface Dockerfile {
  readonly file: string;
  readonly directives: Directives;
  /** ARGs before the first FROM (usable in FROM lines; re-declared inside a stage to be used there). */
  readonly globalArgs: ReadonlyArray<Extract<Instruction, { kind: 'ARG' }>>;
  readonly stages: readonly Stage[];
  /** Every instruction in file order (global ARGs, FROMs, the rest), for tools that rewrite text. */
  readonly instructions: readonly Instruction[];
  /** Comments and blank lines are not instructions; `lines` is the source split on `\n`. */
  readonly lines: readonly string[];
}
