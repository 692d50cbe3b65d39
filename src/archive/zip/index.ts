export { type ReadZipOptions, readZipEntries, type ZipEntry } from './read-zip.js';
