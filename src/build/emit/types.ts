import type { ApkSigningKey, OwnerPolicy } from '../../apk/index.js';
import type { ScaOptions, ScaPackageDir } from '../sca/index.js';

/** One `package.copyright[]` entry of a recipe. */
export interface EmitCopyright {
  readonly license: string;
  /** Copyright statement; joined into the SBOM's `copyrightText`. */
  readonly attestation?: string;
}

/** The recipe's `dependencies` block of the package or subpackage being emitted. */
export interface EmitDependencies {
  readonly runtime?: readonly string[];
  readonly provides?: readonly string[];
  readonly replaces?: readonly string[];
  readonly providerPriority?: number;
  readonly replacesPriority?: number;
}

/** melange's scriptlets; each non-empty one becomes an executable control entry. */
export interface EmitScriptlets {
  readonly preInstall?: string;
  readonly postInstall?: string;
  readonly preDeinstall?: string;
  readonly postDeinstall?: string;
  readonly preUpgrade?: string;
  readonly postUpgrade?: string;
  readonly trigger?: { readonly script?: string; readonly paths?: readonly string[] };
}

/** An upstream source the package was built from (a `fetch` or `git-checkout` step). */
export interface EmitSource {
  /** Parts of the SPDX id after `SPDXRef-Package-` (melange: `Source`, name, version, step index). */
  readonly idComponents: readonly string[];
  readonly name: string;
  readonly version: string;
  readonly downloadLocation: string;
  /** e.g. `{ SHA256: hex }`. */
  readonly checksums?: Readonly<Record<string, string>>;
  readonly purl?: string;
  /** Supplier namespace (a GitHub owner for GitHub sources); the package's namespace by default. */
  readonly namespace?: string;
  /** Declared licence (melange gives git sources the package's licence, fetched ones none). */
  readonly licenseDeclared?: string;
}

/** Everything needed to turn one staged tree into a signed `.apk`. */
export interface EmitPackageInput {
  /** The package (or subpackage) name and its staged tree. */
  readonly package: ScaPackageDir;
  /** The recipe's main package: name (the origin), version, epoch and copyright. */
  readonly origin: {
    readonly name: string;
    readonly version: string;
    readonly epoch: number;
    readonly copyright?: readonly EmitCopyright[];
  };
  /** apk arch written into `.PKGINFO` and the output directory (`REPO/ARCH/`). */
  readonly arch: string;
  readonly description?: string;
  readonly url?: string;
  readonly commit?: string;
  readonly dependencies?: EmitDependencies;
  readonly options?: ScaOptions;
  readonly scriptlets?: EmitScriptlets;
  /** Every package of the build, main first (for SCA across sibling trees). */
  readonly relatives?: readonly ScaPackageDir[];
  /** melange's `--namespace`: `maintainer`, the SBOM supplier and purl namespace (`unknown` if unset). */
  readonly namespace?: string;
  /** SOURCE_DATE_EPOCH: every timestamp; `builddate` is written only when non-zero. */
  readonly sourceDateEpoch?: number;
  readonly signKey?: ApkSigningKey;
  /** The repository root; the package is written to `<outDir>/<arch>/<name>-<ver>-r<epoch>.apk`. */
  readonly outDir: string;
  /**
   * gzip level of the package members; 6 by default, melange's (pgzip's default). Level 9 took
   * 2.8x as long for a 0.4% smaller package of gcc's 125 MB `/usr/lib/gcc`.
   */
  readonly level?: number;
  /** Owners recorded in the data tar; root:root by default. */
  readonly owners?: OwnerPolicy;
  /** The SBOM's tool line, e.g. `larder (1.2.0)`. */
  readonly tool?: string;
  readonly sources?: readonly EmitSource[];
  /** Texts of `LicenseRef-` licences (melange `license-path`), by licence as written in the recipe. */
  readonly licenseTexts?: Readonly<Record<string, string>>;
}
