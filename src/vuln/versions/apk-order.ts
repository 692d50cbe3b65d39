// APK versions in vulnerability data: apk-tools 2.14 ordering (src/apk), with a leading `v`
// trimmed as grype does (`v1.2.3-r0` in some feeds).
import { compareVersions, versionProblem } from '../../apk/index.js';
import { invalidVersion, type VersionOrder } from './version-order.js';

/** The apk-tools order over versions that apk accepts (`1.2.3_rc1-r0`). */
export const apkOrder: VersionOrder<string> = {
  name: 'apk',
  parse(version) {
    const trimmed = version.trim().replace(/^v(?=[0-9])/, '');
    if (trimmed === '') throw invalidVersion('apk', version, 'empty');
    const problem = versionProblem(trimmed);
    if (problem !== undefined) throw invalidVersion('apk', version, problem);
    return trimmed;
  },
  compare: compareVersions,
};
