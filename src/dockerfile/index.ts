/**
 * Dockerfiles on trusted packages (issue 9): parsing Dockerfiles into plain data, resolving each
 * stage's FROM image (`larder:` configs, OCI layouts, registry images pinned by digest), running
 * `RUN apk add` natively against the image's repositories, the other steps in the sandbox, and
 * converting Debian/Ubuntu/Alpine Dockerfiles to larder bases.
 */

export * from './apk-add/index.js';
export * from './base/index.js';
export * from './build/index.js';
export * from './convert/index.js';
export * from './parse/index.js';
export * from './rootfs/index.js';
