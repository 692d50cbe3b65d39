import type { InstructionKind } from './model.js';

/** Every instruction keyword the parser knows, as BuildKit's `command.Commands`. */
export const KNOWN_INSTRUCTIONS: readonly InstructionKind[] = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
];

/** The kind of a keyword written in any case, or undefined when unknown. */
export function instructionKind(keyword: string): InstructionKind | undefined {
  const upper = keyword.toUpperCase();
  return KNOWN_INSTRUCTIONS.find((k) => k === upper);
}

type FlagType = 'string' | 'bool' | 'strings';

/** The flags each instruction accepts (BuildKit's BFlags per instruction); others take none. */
export const INSTRUCTION_FLAGS: Partial<Record<InstructionKind, Readonly<Record<string, FlagType>>>> = {
  FROM: { platform: 'string' },
  RUN: { mount: 'strings', network: 'string', security: 'string' },
  COPY: {
    from: 'string',
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    parents: 'bool',
    exclude: 'strings',
  },
  ADD: {
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    'keep-git-dir': 'bool',
    checksum: 'string',
    exclude: 'strings',
    unpack: 'bool',
  },
  HEALTHCHECK: {
    interval: 'string',
    timeout: 'string',
    'start-period': 'string',
    'start-interval': 'string',
    retries: 'string',
  },
};
