/**
 * `RUN apk add` done natively: the command recognised from a RUN's words, the packages resolved
 * against the stage image's repositories and keyring, and installed by the composer over the
 * image's installed database into one layer holding only what changed.
 */

export { type ApkAddOptions, type ApkAddResult, apkAdd } from './apk-add.js';
export { type ApkAddCommand, parseApkAddCommand } from './parse-command.js';
export { type RootApkState, readRootApkState } from './root-state.js';
