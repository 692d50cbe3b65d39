// VEX documents from files: the format is told by the document itself.
import { readFile } from 'node:fs/promises';
import { inFile, LarderError } from '../../core/index.js';
import type { VexStatement } from '../model.js';
import { isCycloneDxDocument, readCycloneDxVex } from './cyclonedx-vex-read.js';
import { parseJsonText } from './json-fields.js';
import { isOpenVexDocument, readOpenVex } from './openvex-read.js';

/** The VEX formats larder reads. */
export type VexFormat = 'openvex' | 'cyclonedx';

/**
 * Parses a VEX document: OpenVEX (an `@context` of https://openvex.dev/ns/...) or CycloneDX
 * (`bomFormat: CycloneDX`, 1.4-1.6). Anything else, CSAF included, is VEX_INVALID naming `file`.
 */
export function parseVexDocument(
  text: string,
  file: string,
): { format: VexFormat; statements: VexStatement[] } {
  const doc = parseJsonText(text, file, 'VEX_INVALID');
  if (isOpenVexDocument(doc)) return { format: 'openvex', statements: readOpenVex(doc, file) };
  if (isCycloneDxDocument(doc)) return { format: 'cyclonedx', statements: readCycloneDxVex(doc, file) };
  throw new LarderError(
    'VEX_INVALID',
    `${file}: not an OpenVEX document (no https://openvex.dev/ns @context) nor a CycloneDX BOM (no bomFormat: CycloneDX)`,
    { subject: file },
  );
}

/** Reads and parses the VEX documents at `paths`, in order; statements of all of them. */
export async function readVexFiles(paths: readonly string[]): Promise<VexStatement[]> {
  const out: VexStatement[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw inFile(path, err);
    }
    out.push(...parseVexDocument(text, path).statements);
  }
  return out;
}
