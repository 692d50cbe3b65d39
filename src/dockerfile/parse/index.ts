/**
 * The Dockerfile parser: BuildKit's syntax (directives, continuations, heredocs, JSON and shell
 * forms, flags, multi-stage) into plain data (model.ts), BuildKit's word expansion for the
 * builder, and `.dockerignore` matching. Every parse error is DOCKERFILE_INVALID at file:line.
 */

export { type IgnorePattern, type IgnorePatterns, parseDockerignore } from './dockerignore.js';
export { expandWord, expandWords, type VarLookup } from './expand.js';
export { createIgnoreMatcher, type IgnoreMatcher } from './ignore-matcher.js';
export { KNOWN_INSTRUCTIONS } from './keywords.js';
export type {
  CommandForm,
  Directives,
  Dockerfile,
  Heredoc,
  Instruction,
  InstructionFlag,
  InstructionKind,
  KeyValue,
  SourceSpan,
  Stage,
} from './model.js';
export { parseDockerfile } from './parse.js';
