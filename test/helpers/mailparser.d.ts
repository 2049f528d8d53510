// The part of mailparser 3.9 the SMTP capture uses (the package ships no types, and
// @types/mailparser is not installed).
declare module 'mailparser' {
  import type { Readable } from 'node:stream';
  export interface ParsedMail {
    subject?: string;
    text?: string;
    html?: string | false;
    /** Header lines as received, keys lower-case. */
    headerLines: { key: string; line: string }[];
  }
  export function simpleParser(source: Readable | Buffer | string): Promise<ParsedMail>;
}
