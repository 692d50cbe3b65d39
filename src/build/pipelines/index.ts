// Built-in pipelines (the repo's pipelines/**/*.yaml, embedded at build time).
export { BUILTIN_PIPELINES } from './builtin.js';
