/**
 * The `certificates` block (apko `ImageCertificates`): inline CA certificates and the virtual
 * package names whose packages' certificate files join the CA bundles. apko checks the names
 * when it validates the config and the PEM content only when it builds; larder checks both
 * while reading the file, so every problem comes with its line and column.
 */
import { z } from 'zod';
import { parseCertificate } from './certificate.js';

/** apko's certNameRegex: a safe file name that does not start with a dot. */
export const SAFE_NAME = /^[a-zA-Z0-9_-]+[a-zA-Z0-9_.-]*$/;

const pemCertificate = z.string().superRefine((text, ctx) => {
  const parsed = parseCertificate(text);
  if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

export const certificatesSchema = z.strictObject({
  additional: z
    .array(
      z.strictObject({
        name: z.string().regex(SAFE_NAME, 'a certificate name must be a safe file name (apko certNameRegex)'),
        content: pemCertificate,
      }),
    )
    .exactOptional(),
  providers: z.array(z.string()).exactOptional(),
});
