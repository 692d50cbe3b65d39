/** Progress events libraries emit; only the CLI and server render them. */
export type ProgressEvent =
  | { readonly kind: 'start'; readonly task: string; readonly total?: number }
  | { readonly kind: 'advance'; readonly task: string; readonly done: number; readonly total?: number }
  | { readonly kind: 'finish'; readonly task: string }
  | { readonly kind: 'warn'; readonly message: string; readonly subject?: string };

export type ProgressListener = (event: ProgressEvent) => void;

/** A listener that drops everything: the default for callers that do not care. */
export const IGNORE_PROGRESS: ProgressListener = () => {};
