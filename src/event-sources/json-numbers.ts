/**
 * JSON parsing that keeps each number's text beside its value: event patterns compare exact numbers
 * by the text they were written as (EventBridge: 300, 300.0 and 3.0e2 are not equal), and ranges
 * by value. Everything else parses as JSON.parse does (duplicate keys: the last wins).
 */

export class JsonNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const SPACE = /[ \t\n\r]*/y;

export function parseJsonKeepingNumbers(text: string): unknown {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError(`Unexpected token in JSON at position ${i}`);
  };
  const space = () => {
    SPACE.lastIndex = i;
    SPACE.exec(text);
    i = SPACE.lastIndex;
  };
  const token = (re: RegExp): string => {
    re.lastIndex = i;
    const m = re.exec(text) ?? fail();
    i = re.lastIndex;
    return m[0];
  };
  const literal = (word: string, v: unknown): unknown => (text.startsWith(word, i) ? ((i += word.length), v) : fail());
  const value = (): unknown => {
    space();
    const c = text[i];
    if (c === '"') return JSON.parse(token(STRING)) as string;
    if (c === '{') {
      i++;
      const entries: [string, unknown][] = [];
      space();
      if (text[i] === '}') return i++, {};
      for (;;) {
        space();
        const key = JSON.parse(token(STRING)) as string;
        space();
        if (text[i++] !== ':') fail();
        entries.push([key, value()]);
        space();
        const sep = text[i++];
        if (sep === '}') return Object.fromEntries(entries);
        if (sep !== ',') fail();
      }
    }
    if (c === '[') {
      i++;
      const items: unknown[] = [];
      space();
      if (text[i] === ']') return i++, items;
      for (;;) {
        items.push(value());
        space();
        const sep = text[i++];
        if (sep === ']') return items;
        if (sep !== ',') fail();
      }
    }
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    const t = token(NUMBER);
    return new JsonNumber(Number(t), t);
  };
  const v = value();
  space();
  if (i !== text.length) fail();
  return v;
}
