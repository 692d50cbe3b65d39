import type { Command } from 'commander';
import { LarderError } from '../core/index.js';

/**
 * Parses cosign's `--tlog-upload` value. larder signs offline with keys, so `false` is the only
 * behaviour; `true` is refused rather than silently ignored (docs/trust.md, "Keyless signing").
 */
export function parseTlogUpload(value: string): false {
  if (value === 'false') return false;
  if (value === 'true') {
    throw new LarderError(
      'USAGE',
      '--tlog-upload=true: larder signs offline with keys and uploads nothing to a transparency log (Rekor); keyless signing needs Fulcio, Rekor and TUF over the network (see docs/trust.md)',
    );
  }
  throw new LarderError('USAGE', `--tlog-upload '${value}': expected false`);
}

/** Adds cosign's `--tlog-upload` flag (only `false`) to a signing command. */
export function withTlogUpload(command: Command): Command {
  return command.option(
    '--tlog-upload <bool>',
    'cosign compatibility: must be false, the only behaviour (no transparency log; docs/trust.md)',
    parseTlogUpload,
    false,
  );
}
