/** APK packages from installed databases, the distribution from os-release, apk purls. */
export { apkPackagePurl, type InstalledApks, readInstalledApks } from './installed.js';
export { distroOf, type OsRelease, osReleaseFromApkRepositories, parseOsRelease } from './os-release.js';
