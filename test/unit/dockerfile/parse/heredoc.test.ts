// Heredocs: BuildKit's <<EOF, <<-EOF and quoted delimiters on RUN, COPY and ADD.
import { describe, expect, it } from 'vitest';
import { type Instruction, parseDockerfile } from '../../../../src/dockerfile/parse/index.js';

const body = (text: string): readonly Instruction[] =>
  parseDockerfile(`FROM scratch\n${text}`, 'Dockerfile').stages[0]?.instructions ?? [];

describe('heredocs', () => {
  it('takes a RUN heredoc body verbatim up to the delimiter line', () => {
    const [run, user] = body('RUN <<EOF\nset -e\n  echo "$HOME" \\\n# not a comment\n\nEOF\nUSER app\n');
    expect(run).toEqual({
      kind: 'RUN',
      span: { file: 'Dockerfile', line: 2, endLine: 7 },
      original: 'RUN <<EOF\nset -e\n  echo "$HOME" \\\n# not a comment\n\nEOF',
      flags: [],
      command: { form: 'shell', text: '<<EOF' },
      heredocs: [{ name: 'EOF', content: 'set -e\n  echo "$HOME" \\\n# not a comment\n\n', expand: true }],
    });
    expect(user?.span).toMatchObject({ line: 8, endLine: 8 });
  });

  it('reads several heredocs on one line, in order', () => {
    const [run] = body(
      'RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2\n',
    );
    expect(run).toMatchObject({
      command: { form: 'shell', text: '<<FILE1 cat > /file1 && <<FILE2 cat > /file2' },
      heredocs: [
        { name: 'FILE1', content: 'I am\nfirst\n', expand: true },
        { name: 'FILE2', content: 'I am\nsecond\n', expand: true },
      ],
      span: { line: 2, endLine: 8 },
    });
  });

  it('strips leading tabs with <<- (body and delimiter), not spaces', () => {
    const [run] = body('RUN <<-EOT bash\n\t\techo a\n  \techo b\n\tEOT\n');
    expect(run).toMatchObject({ heredocs: [{ name: 'EOT', content: 'echo a\n  \techo b\n', expand: true }] });
  });

  it('does not expand a quoted delimiter', () => {
    const copies = body('COPY <<"EOF" /a\n$X\nEOF\nCOPY <<\'EOF\' /b\n$Y\nEOF\nADD <<E\\OF /c\nz\nEOF\n');
    expect(copies).toMatchObject([
      {
        kind: 'COPY',
        sources: ['<<"EOF"'],
        dest: '/a',
        heredocs: [{ name: 'EOF', content: '$X\n', expand: false }],
      },
      {
        kind: 'COPY',
        sources: ["<<'EOF'"],
        dest: '/b',
        heredocs: [{ name: 'EOF', content: '$Y\n', expand: false }],
      },
      { kind: 'ADD', heredocs: [{ name: 'EOF', content: 'z\n', expand: true }] },
    ]);
    // Only quotes stop expansion (an escape does not), and a half-quoted name counts as quoted.
    expect(body('RUN <<E"O"F cat\n$X\nEOF\nRUN <<$END cat\n$X\n$END\n')).toMatchObject([
      { heredocs: [{ name: 'EOF', expand: false }] },
      { heredocs: [{ name: '$END', content: '$X\n', expand: true }] },
    ]);
  });

  it('looks only for the delimiter of the heredoc being read', () => {
    expect(body('COPY <<X <<Y /dest\nY\nX\nX\nY\n')).toMatchObject([
      {
        heredocs: [
          { name: 'X', content: 'Y\n' },
          { name: 'Y', content: 'X\n' },
        ],
        span: { line: 2, endLine: 6 },
      },
    ]);
  });

  it('reads COPY with heredoc sources and flags', () => {
    const [copy] = body(
      'COPY --chmod=755 <<one.sh <<two.sh /usr/bin/\n#!/bin/sh\necho 1\none.sh\necho 2\ntwo.sh\n',
    );
    expect(copy).toMatchObject({
      sources: ['<<one.sh', '<<two.sh'],
      dest: '/usr/bin/',
      heredocs: [
        { name: 'one.sh', content: '#!/bin/sh\necho 1\n' },
        { name: 'two.sh', content: 'echo 2\n' },
      ],
    });
  });

  it('finds heredocs after a continuation, and not in the JSON form or other instructions', () => {
    expect(body('RUN python3 \\\n  <<EOF\nprint(1)\nEOF\n')).toMatchObject([
      {
        command: { form: 'shell', text: 'python3   <<EOF' },
        heredocs: [{ content: 'print(1)\n' }],
        span: { endLine: 5 },
      },
    ]);
    expect(body('RUN ["cat", "<<EOF"]\nENV A=<<EOF\nRUN cat<<EOF x\nRUN echo a <<< b\n')).toMatchObject([
      { heredocs: [] },
      { kind: 'ENV' },
      { heredocs: [] },
      { heredocs: [] },
    ]);
  });

  it('keeps heredoc bodies in an ONBUILD trigger', () => {
    expect(body('ONBUILD RUN <<EOF\necho hi\nEOF\n')).toMatchObject([
      { kind: 'ONBUILD', trigger: 'RUN <<EOF\necho hi\nEOF', span: { line: 2, endLine: 4 } },
    ]);
  });

  it('refuses an unterminated heredoc, naming its line', () => {
    expect(() => body('RUN <<EOF\necho a\nEOF \n')).toThrow('Dockerfile:2: unterminated heredoc EOF');
  });
});
