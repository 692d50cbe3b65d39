import { ATTESTATION_FORMS, type AttestationForms } from '../attest/index.js';
import { LarderError } from '../core/index.js';

/** `--format` / `--sign-format`: which of cosign's layouts to write; `both` when not given. */
export function parseSignatureForms(flag: string, value: string | undefined): AttestationForms {
  const forms = value ?? 'both';
  if (!(ATTESTATION_FORMS as readonly string[]).includes(forms)) {
    throw new LarderError('USAGE', `${flag} '${forms}': expected one of ${ATTESTATION_FORMS.join(', ')}`);
  }
  return forms as AttestationForms;
}
