// Broken Dockerfiles: each is one DOCKERFILE_INVALID naming file:line; a seeded fuzz loop over
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text holds ${VAR} substitutions, not JS templates
// mutations of valid files never throws anything else.
import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import { parseDockerfile } from '../../../../src/dockerfile/parse/index.js';
import { prng } from '../../../kit/prng.js';

/** [Dockerfile text, expected message (file:line first)]. */
const CORPUS: ReadonlyArray<readonly [string, string]> = [
  ['FROM alpine\nRUN true\n\n\n\n\nFORM alpine\n', 'Dockerfile:7: unknown instruction: FORM'],
  ['FROM alpine\nrnu true\n', 'Dockerfile:2: unknown instruction: RNU'],
  ['FROM alpine\nCOPY a\n', 'Dockerfile:2: COPY requires at least two arguments, but only one was provided'],
  ['FROM alpine\nADD\n', 'Dockerfile:2: ADD requires at least two arguments'],
  ['FROM alpine\nCOPY []\n', 'Dockerfile:2: COPY requires at least two arguments'],
  ['FROM alpine\nWORKDIR\n', 'Dockerfile:2: WORKDIR requires exactly one argument'],
  ['FROM alpine\nUSER   \n', 'Dockerfile:2: USER requires exactly one argument'],
  ['FROM alpine\nSTOPSIGNAL\n', 'Dockerfile:2: STOPSIGNAL requires exactly one argument'],
  ['FROM alpine\nMAINTAINER\n', 'Dockerfile:2: MAINTAINER requires exactly one argument'],
  ['FROM alpine\nRUN\n', 'Dockerfile:2: RUN requires at least one argument'],
  ['FROM alpine\nRUN []\n', 'Dockerfile:2: RUN requires at least one argument'],
  ['FROM alpine\nRUN --network=none\n', 'Dockerfile:2: RUN requires at least one argument'],
  ['FROM alpine\nCMD\n', 'Dockerfile:2: CMD requires at least one argument'],
  ['FROM alpine\nENTRYPOINT ["a", {}]\n', 'Dockerfile:2: ENTRYPOINT: when using JSON array syntax'],
  ['FROM alpine\nSHELL sh -c\n', 'Dockerfile:2: SHELL requires the arguments to be in JSON form'],
  ['FROM alpine\nSHELL []\n', 'Dockerfile:2: SHELL requires at least one argument'],
  ['FROM alpine\nENV\n', 'Dockerfile:2: ENV requires at least one argument'],
  ['FROM alpine\nENV A\n', 'Dockerfile:2: ENV must have two arguments'],
  ['FROM alpine\nENV A=1 B\n', `Dockerfile:2: ENV: can't find = in "B"`],
  ['FROM alpine\nENV =1\n', 'Dockerfile:2: ENV names can not be blank'],
  ['FROM alpine\nLABEL\n', 'Dockerfile:2: LABEL requires at least one argument'],
  ['FROM alpine\nLABEL a=b c\n', `Dockerfile:2: LABEL: can't find = in "c"`],
  ['FROM alpine\nARG\n', 'Dockerfile:2: ARG requires at least one argument'],
  ['FROM alpine\nARG =x\n', 'Dockerfile:2: ARG names can not be blank'],
  ['FROM alpine\nEXPOSE\n', 'Dockerfile:2: EXPOSE requires at least one argument'],
  ['FROM alpine\nVOLUME\n', 'Dockerfile:2: VOLUME requires at least one argument'],
  ['FROM alpine\nVOLUME ["/a", " "]\n', 'Dockerfile:2: VOLUME specified can not be an empty string'],
  ['FROM alpine\nHEALTHCHECK\n', 'Dockerfile:2: HEALTHCHECK requires at least one argument'],
  ['FROM alpine\nHEALTHCHECK NONE x\n', 'Dockerfile:2: HEALTHCHECK NONE takes no arguments'],
  ['FROM alpine\nHEALTHCHECK RUN x\n', 'Dockerfile:2: Unknown type "RUN" in HEALTHCHECK (try CMD)'],
  ['FROM alpine\nHEALTHCHECK CMD\n', 'Dockerfile:2: Missing command after HEALTHCHECK CMD'],
  [
    'FROM alpine\nHEALTHCHECK --interval=5 CMD x\n',
    'Dockerfile:2: HEALTHCHECK: --interval must be a duration',
  ],
  ['FROM alpine\nHEALTHCHECK --retries=-1 CMD x\n', 'Dockerfile:2: HEALTHCHECK: --retries must be a count'],
  ['FROM alpine\nONBUILD\n', 'Dockerfile:2: ONBUILD requires at least one argument'],
  [
    'FROM alpine\nONBUILD ONBUILD RUN x\n',
    "Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
  ],
  ['FROM alpine\nONBUILD FROM x\n', "Dockerfile:2: FROM isn't allowed as an ONBUILD trigger"],
  ['FROM alpine\nONBUILD FORM x\n', 'Dockerfile:2: unknown instruction: FORM'],
  ['FROM alpine\nCOPY --form=a b c\n', 'Dockerfile:2: COPY: unknown flag: --form'],
  ['FROM alpine\nUSER --x=1 app\n', 'Dockerfile:2: USER: unknown flag: --x'],
  ['FROM alpine\nCOPY --from=a --from=b c d\n', 'Dockerfile:2: COPY: duplicate flag specified: --from'],
  ['FROM alpine\nCOPY --from c d\n', 'Dockerfile:2: COPY: missing a value on flag: --from'],
  [
    'FROM alpine\nCOPY --link=maybe c d\n',
    'Dockerfile:2: COPY: expecting boolean value for flag --link, not: maybe',
  ],
  ['FROM\n', 'Dockerfile:1: FROM requires either one or three arguments'],
  ['FROM a AS\n', 'Dockerfile:1: FROM requires either one or three arguments'],
  ['FROM a b c\n', 'Dockerfile:1: FROM: expected "AS" before the stage name, got "b"'],
  ['FROM a AS 1st\n', 'Dockerfile:1: invalid name for build stage: "1st"'],
  ['FROM a AS my/stage\n', 'Dockerfile:1: invalid name for build stage: "my/stage"'],
  ['FROM a AS b\nRUN x\nFROM c AS B\n', 'Dockerfile:3: duplicate stage name "b" (first defined on line 1)'],
  ['FROM --platfrom=x a\n', 'Dockerfile:1: FROM: unknown flag: --platfrom'],
  [
    'ARG A\nRUN echo\nFROM a\n',
    'Dockerfile:2: no build stage in current context: RUN must come after a FROM',
  ],
  ['ARG A\n', 'Dockerfile:1: dockerfile contains no stages to build'],
  ['', 'Dockerfile:1: file with no instructions'],
  ['# only a comment\n\n', 'Dockerfile:1: file with no instructions'],
  ['FROM a\nRUN <<EOF\necho\n', 'Dockerfile:2: unterminated heredoc EOF'],
  ['FROM a\nCOPY a <<EOF\nx\nEOF\n', 'Dockerfile:2: COPY cannot accept a heredoc as a destination'],
  ['FROM a\nRUN <<A <<B\na\nA\nb\n', 'Dockerfile:2: unterminated heredoc B'],
  ['# escape=`\n# escape=\\\nFROM a\n', 'Dockerfile:2: only one escape parser directive can be used'],
  ['# syntax=a\n# SYNTAX=b\nFROM a\n', 'Dockerfile:2: only one syntax parser directive can be used'],
  ['# escape=/\nFROM a\n', "Dockerfile:1: invalid escape token '/' does not match ` or \\"],
];

describe('broken Dockerfiles', () => {
  it.each(CORPUS)('%j', (text, message) => {
    let caught: unknown;
    try {
      parseDockerfile(text, 'Dockerfile');
    } catch (err) {
      caught = err;
    }
    expect(isLarderError(caught, 'DOCKERFILE_INVALID')).toBe(true);
    expect((caught as Error).message.startsWith(message), (caught as Error).message).toBe(true);
    expect((caught as { subject?: string }).subject).toBe('Dockerfile');
  });
});

const SEEDS = [
  '# syntax=docker/dockerfile:1\nARG V=1\nFROM alpine:${V} AS build\nRUN --mount=type=cache,target=/c apk add \\\n  # c\n  gcc\nCOPY <<EOF /a\nx $V\nEOF\nFROM scratch\nCOPY --from=build /a /a\nENTRYPOINT ["/a"]\n',
  '# escape=`\nFROM mcr/x\nRUN dir `\n  c:\\\nENV A=1 B="2 3" C=a`b\nLABEL a=b\nHEALTHCHECK --interval=5s CMD ["x"]\nSHELL ["pwsh", "-c"]\n',
  'FROM a AS one\nRUN <<-A <<"B" sh\n\techo 1\n\tA\n$B\nB\nONBUILD RUN echo\nVOLUME ["/v"]\nEXPOSE 80 443/udp\nUSER app\nWORKDIR /w\nSTOPSIGNAL 9\nARG X Y=2\nADD --checksum=sha256:0 https://e/x /x\nHEALTHCHECK NONE\nCMD echo "$X"\n',
];
const ALPHABET = [
  '\\',
  '`',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '$',
  '<<',
  '<<-',
  '#',
  '=',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '--',
  'FROM ',
  'RUN ',
  'AS ',
  'EOF',
  ':',
  ',',
  '\uFEFF',
  'é',
];

function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const pick = ALPHABET[Math.floor(random() * ALPHABET.length)] ?? '';
    const op = Math.floor(random() * 4);
    if (op === 0) out = out.slice(0, at) + pick + out.slice(at);
    else if (op === 1) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 8));
    else if (op === 2) out = out.slice(0, at) + pick + out.slice(at + 1);
    else {
      const from = Math.floor(random() * out.length);
      out = out.slice(0, at) + out.slice(from, from + 12) + out.slice(at);
    }
  }
  return out;
}

describe('fuzzing the parser', () => {
  it('returns a Dockerfile or throws DOCKERFILE_INVALID with file:line, for 2,000 mutated files', () => {
    const random = prng(20261128);
    let parsed = 0;
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const seed = SEEDS[i % SEEDS.length] ?? '';
      const text = mutate(seed, random);
      try {
        const df = parseDockerfile(text, 'fuzz/Dockerfile');
        expect(df.stages.length).toBeGreaterThan(0);
        for (const instruction of df.instructions) {
          expect(instruction.span.endLine).toBeGreaterThanOrEqual(instruction.span.line);
          expect(df.lines.slice(instruction.span.line - 1, instruction.span.endLine).join('\n')).toBe(
            instruction.original,
          );
        }
        parsed++;
      } catch (err) {
        if (!isLarderError(err, 'DOCKERFILE_INVALID'))
          throw new Error(`input ${JSON.stringify(text)}: ${String(err)}`);
        expect(err.message, JSON.stringify(text)).toMatch(/^fuzz\/Dockerfile:\d+: /);
        refused++;
      }
    }
    // Both outcomes happen: the mutations are neither all harmless nor all fatal.
    expect(parsed).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });
});
