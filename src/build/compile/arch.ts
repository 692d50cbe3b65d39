/**
 * Build architectures as melange names them for substitutions: the apk arch (`build.arch`), the
 * Go/OCI arch (`build.goarch`) and the GNU and Rust triplets (apko `ToTriplet`/`ToRustTriplet`).
 */

/** One architecture's names. */
export interface BuildArch {
  readonly apk: string;
  readonly go: string;
  /** `<cpu>-<vendor>-linux-` before the flavour (`gnu`, `musl`). */
  readonly gnuPrefix: string;
  readonly rustPrefix: string;
  /** Appended after the flavour (`eabihf` on 32-bit arm). */
  readonly suffix: string;
}

const ARCHS: readonly BuildArch[] = [
  {
    apk: 'x86_64',
    go: 'amd64',
    gnuPrefix: 'x86_64-pc-linux-',
    rustPrefix: 'x86_64-unknown-linux-',
    suffix: '',
  },
  {
    apk: 'aarch64',
    go: 'arm64',
    gnuPrefix: 'aarch64-unknown-linux-',
    rustPrefix: 'aarch64-unknown-linux-',
    suffix: '',
  },
  { apk: 'x86', go: '386', gnuPrefix: 'i486-pc-linux-', rustPrefix: 'i686-unknown-linux-', suffix: '' },
  {
    apk: 'armhf',
    go: 'arm/v6',
    gnuPrefix: 'arm-unknown-linux-',
    rustPrefix: 'armv6-unknown-linux-',
    suffix: 'eabihf',
  },
  {
    apk: 'armv7',
    go: 'arm/v7',
    gnuPrefix: 'armv7l-unknown-linux-',
    rustPrefix: 'armv7-unknown-linux-',
    suffix: 'eabihf',
  },
  {
    apk: 'ppc64le',
    go: 'ppc64le',
    gnuPrefix: 'powerpc64le-unknown-linux-',
    rustPrefix: 'powerpc64le-unknown-linux-',
    suffix: '',
  },
  {
    apk: 's390x',
    go: 's390x',
    gnuPrefix: 's390x-ibm-linux-',
    rustPrefix: 's390x-unknown-linux-',
    suffix: '',
  },
  {
    apk: 'riscv64',
    go: 'riscv64',
    gnuPrefix: 'riscv64-unknown-linux-',
    rustPrefix: 'riscv64gc-unknown-linux-',
    suffix: '',
  },
  {
    apk: 'loongarch64',
    go: 'loong64',
    gnuPrefix: 'loongarch64-unknown-linux-',
    rustPrefix: 'loongarch64-unknown-linux-',
    suffix: '',
  },
];

/** The architecture for an apk or Go name, or undefined. */
export function buildArch(name: string): BuildArch | undefined {
  return ARCHS.find((a) => a.apk === name || a.go === name || (name === 'amd64' && a.apk === 'x86_64'));
}

/** Names accepted by buildArch (apk spelling). */
export const BUILD_ARCH_NAMES: readonly string[] = ARCHS.map((a) => a.apk);

/** `x86_64-pc-linux-gnu` for flavour `gnu`. */
export function gnuTriplet(arch: BuildArch, flavour: string): string {
  return `${arch.gnuPrefix}${flavour}${arch.suffix}`;
}

/** `x86_64-unknown-linux-gnu` for flavour `gnu`. */
export function rustTriplet(arch: BuildArch, flavour: string): string {
  return `${arch.rustPrefix}${flavour}${arch.suffix}`;
}

/** The machine's architecture in apk spelling (x86_64 when unknown). */
export function hostBuildArch(): string {
  const map: Record<string, string> = {
    x64: 'x86_64',
    arm64: 'aarch64',
    ia32: 'x86',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
    loong64: 'loongarch64',
  };
  return map[process.arch] ?? 'x86_64';
}
