/** Go build info (both blob layouts), its modinfo text, and the packages a Go binary holds. */
export { type GoBuildInfo, readGoBuildInfo } from './buildinfo.js';
export { type GoModInfo, type GoModule, parseGoModInfo } from './modinfo.js';
export { goModulePurl, goPackages, ldflagsVersion } from './packages.js';
