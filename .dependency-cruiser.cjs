// Enforces the module layering of docs/architecture.md: a module may import only from the
// modules listed for it, never from a higher row, and never reach into another module's files
// except through its index.ts.
const LAYERS = {
  core: [],
  archive: ['core'],
  apk: ['core', 'archive'],
  repo: ['core', 'apk'],
  solver: ['core', 'apk'],
  sbom: ['core'],
  oci: ['core', 'archive'],
  store: ['core'],
  image: ['core', 'archive', 'apk', 'repo', 'solver', 'sbom', 'oci', 'attest'],
  build: ['core', 'archive', 'apk', 'repo', 'solver', 'image', 'sbom'],
  vuln: ['core', 'archive', 'apk', 'oci', 'sbom', 'store'],
  attest: ['core', 'oci'],
  dockerfile: ['core', 'archive', 'apk', 'repo', 'solver', 'sbom', 'oci', 'image', 'build', 'vuln', 'attest'],
  factory: [
    'core',
    'archive',
    'apk',
    'repo',
    'solver',
    'sbom',
    'oci',
    'store',
    'image',
    'build',
    'vuln',
    'attest',
    'dockerfile',
  ],
  server: [
    'core',
    'archive',
    'apk',
    'repo',
    'solver',
    'sbom',
    'oci',
    'store',
    'image',
    'build',
    'vuln',
    'attest',
    'dockerfile',
    'factory',
  ],
};
const ALL = Object.keys(LAYERS);

const layerRules = Object.entries(LAYERS).map(([mod, allowed]) => {
  const forbidden = ALL.filter((m) => m !== mod && !allowed.includes(m));
  return {
    name: `layer-${mod}`,
    comment: `src/${mod} may import only: ${allowed.join(', ') || 'nothing'}`,
    severity: 'error',
    from: { path: `^src/${mod}/` },
    to: { path: forbidden.length ? `^src/(${forbidden.join('|')}|cli)/` : '^src/cli/' },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'through-index-only',
      comment: 'another module is imported only through its index.ts',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/.+', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
