/** cargo-auditable data in Rust binaries (`.dep-v0`) and the crates it lists. */
export {
  type CargoAuditPackage,
  cargoPackages,
  parseCargoAuditJson,
  readCargoAuditData,
} from './cargo-auditable.js';
