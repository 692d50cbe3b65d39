// The vuln module: advisories, vulnerability database, cataloguing, matching, VEX and reports.
// Each part lives in its own folder and is re-exported here.

export * from './advisory/index.js';
export * from './catalog/index.js';
export * from './db/index.js';
export * from './feeds/index.js';
export * from './match/index.js';
export * from './model.js';
export * from './report/index.js';
export * from './scan/index.js';
export * from './versions/index.js';
export * from './vex/index.js';
