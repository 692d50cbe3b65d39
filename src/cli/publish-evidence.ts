import { PACKAGE_VERSION } from './package-version.js';

/** The default `--builder-id` of `image publish`: larder's CLI at this version. */
export const CLI_BUILDER_ID = `https://larder.dev/builders/cli@v${PACKAGE_VERSION}`;
