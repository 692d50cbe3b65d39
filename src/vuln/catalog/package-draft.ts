import type { CatalogedPackage } from '../model.js';

/**
 * A package as one reader finds it, before the catalog gives it an id and links it to the APK
 * package that owns its file.
 */
export type PackageDraft = Omit<CatalogedPackage, 'id' | 'ownedBy'>;
