// The one package-list model both SBOM formats are written from. It knows nothing of apk's
// files or of OCI: `image` fills it from an installed database and the image it composed.

/** The distribution the image is built from, as `/etc/os-release` says (docs/formats.md 4.7). */
export interface SbomOs {
  /** os-release `ID` (`wolfi`, `alpine`); `unknown` when there is no os-release. */
  id: string;
  /** os-release `VERSION_ID`. */
  versionId?: string;
  /** os-release `PRETTY_NAME`; names the supplier of the packages when present. */
  prettyName?: string;
}

/** What the document describes: one image, or a multi-arch index. */
export interface SbomSubject {
  kind: 'image' | 'index';
  /** `sha256:<hex>` of the manifest (image) or index. */
  digest?: string;
  /** Where it is published, e.g. `cgr.dev/chainguard/wolfi-base:latest`. */
  ref?: string;
  /** Media type of the manifest or index, written as the purl's `mediaType` qualifier. */
  mediaType?: string;
}

/** One installed apk package. */
export interface SbomPackage {
  name: string;
  version: string;
  /** apk arch (`x86_64`, `aarch64`, `noarch`). */
  arch: string;
  /** Origin (source package) name. */
  origin?: string;
  /** License as written in `.PKGINFO` (`L:`); an SPDX expression, or not. */
  license?: string;
  description?: string;
  /** Project URL (`U:`). */
  url?: string;
  checksum?: {
    /** Package identity `Q1<base64 sha1>` of the control segment (`C:`). */
    control?: string;
    /** sha256 hex of the data segment (`datahash`). */
    data?: string;
  };
  /** Maintainer (`m:`), e.g. `Jane Doe <jane@example.org>`. */
  maintainer?: string;
  /** Names of other packages of the same list this one depends on; unknown names are ignored. */
  dependsOn?: string[];
}

/** Everything one image-level SBOM says. */
export interface SbomDocumentInput {
  /** Image name, e.g. `wolfi-base` or `cgr.dev/chainguard/wolfi-base`. */
  name: string;
  /** Creation time: a Date, or SOURCE_DATE_EPOCH seconds. */
  created: Date | number;
  os: SbomOs;
  /** apk arch of the image; absent for documents not tied to one arch. */
  arch?: string;
  subject?: SbomSubject;
  packages: SbomPackage[];
  /** The image configuration's source, `https://github.com/o/r@<commit>` as apko's `vcs-url`. */
  vcsUrl?: string;
  /** larder's version, written as the creating tool. */
  toolVersion: string;
}

/** One per-arch image of a multi-arch index. */
export interface SbomIndexImage {
  /** apk arch of the image. */
  arch: string;
  /** `sha256:<hex>` of the image manifest. */
  digest: string;
}

/** Everything the index-level SBOM (`sbom-index.spdx.json`) says. */
export interface SbomIndexInput {
  name: string;
  created: Date | number;
  os: SbomOs;
  /** The index itself; `kind` is implied. */
  subject: { digest: string; ref?: string; mediaType?: string };
  images: SbomIndexImage[];
  vcsUrl?: string;
  toolVersion: string;
}
