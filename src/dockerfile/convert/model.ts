/** What `convertDockerfile` returns: the new text, the changes made and what needs a human. */
import type { MappedPackage } from './package-managers.js';

/** Options of convertDockerfile. */
export interface ConvertOptions {
  /** Registry path the new bases live under (`ORG/wolfi-base:latest`); default `larder`. */
  readonly org?: string;
}

/** One rewritten instruction. */
export interface ConvertChange {
  /** 1-based lines of the original instruction; for `added`, the line it was added after. */
  readonly line: number;
  readonly endLine: number;
  readonly kind: 'FROM' | 'RUN' | 'ARG' | 'USER';
  /** `added` for the USER root line inserted after a FROM, `removed` for a RUN left empty. */
  readonly action: 'rewritten' | 'removed' | 'added';
  readonly before: string;
  readonly after: string;
  readonly notes: readonly string[];
}

/** Something a human must look at: an unmapped package, a dropped pin, a FROM left alone. */
export interface ConvertFlag {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface ConvertResult {
  readonly text: string;
  readonly changes: readonly ConvertChange[];
  readonly flags: readonly ConvertFlag[];
  readonly packages: readonly MappedPackage[];
}
