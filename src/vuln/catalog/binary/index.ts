/** A small ELF reader: section and program headers, section data, reads by virtual address. */
export {
  type ElfFile,
  type ElfSection,
  type ElfSegment,
  elfSectionData,
  isElf,
  readElf,
  readElfVaddr,
} from './elf.js';
