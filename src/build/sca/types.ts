/** melange's `package.options` switches that act on automatic dependencies (formats.md §5.12). */
export interface ScaOptions {
  /** Drop every generated provide. */
  readonly noProvides?: boolean;
  /** Drop every generated runtime dependency. */
  readonly noDepends?: boolean;
  /** Drop every `cmd:` entry, provided or depended on. */
  readonly noCommands?: boolean;
}

/** One staged package tree: the package being analysed or one built with it. */
export interface ScaPackageDir {
  readonly name: string;
  /** The package's destdir (main package) or subpkgdir on the host. */
  readonly dir: string;
}

/** What `analyzePackage` needs: the tree, its full version and its relatives. */
export interface ScaInput {
  readonly package: ScaPackageDir;
  /** `<version>-r<epoch>`, written into every generated provide. */
  readonly fullVersion: string;
  /**
   * Every package of the same build, the main package first then subpackages in recipe order
   * (melange's `RelativeNames`); may include `package` itself. Used for `ld.so.conf.d` paths
   * and for `.so` symlinks that point into a sibling package.
   */
  readonly relatives?: readonly ScaPackageDir[];
  readonly options?: ScaOptions;
  /** The recipe's declared runtime dependencies (perl/python/ruby are not added twice). */
  readonly declaredRuntime?: readonly string[];
}

/** Generated dependencies, each list sorted in byte order without duplicates. */
export interface ScaResult {
  readonly runtime: string[];
  readonly provides: string[];
  /** Provides of libraries and pkg-config files outside the standard dirs (`# vendored =`). */
  readonly vendored: string[];
  /** Files melange warns about (unparseable `.pc`, odd shebangs, libraries without SONAME). */
  readonly warnings: string[];
}

/** The lists generators append to; `analyzePackage` sorts and filters them. */
export interface ScaFindings {
  runtime: string[];
  provides: string[];
  vendored: string[];
  warnings: string[];
}
