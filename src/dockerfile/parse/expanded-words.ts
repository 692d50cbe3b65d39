/** Words of ProcessWords: unquoted whitespace (also inside unquoted `$VAR` values) splits them. */
export class ExpandedWords {
  readonly words: string[] = [];
  private word = '';

  addChar(ch: string): void {
    if (/\s/u.test(ch)) {
      if (this.word !== '') this.words.push(this.word);
      this.word = '';
    } else this.word += ch;
  }
  addRaw(text: string): void {
    this.word += text;
  }
  addExpanded(text: string): void {
    for (const ch of text) this.addChar(ch);
  }
  done(): string[] {
    if (this.word !== '') this.words.push(this.word);
    this.word = '';
    return this.words;
  }
}
