/**
 * A browser's `multipart/form-data` POST, read as S3 reads it: the fields before the `file` part are
 * kept (bounded in size), the file is handed on as a stream while it arrives, never held whole, and
 * whatever follows the file is read and dropped.
 */
import { PassThrough, type Readable } from 'node:stream';
import { S3Errors } from '../../wire/errors.js';

export interface FormUpload {
  /** Field names lower-cased (S3 compares them without case); values as sent. */
  fields: Map<string, string>;
  file: { filename: string; contentType: string | undefined; body: Readable };
}

/** S3 allows 20 KB of form fields besides the file. */
const MAX_FIELDS_BYTES = 20 * 1024;
const MAX_PART_HEADERS = 8 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

function partHeaders(raw: string): { name: string; filename: string | undefined; contentType: string | undefined } {
  let name = '';
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of raw.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-type') contentType = value;
    if (header !== 'content-disposition') continue;
    name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? /\bname=([^;\s]+)/i.exec(value)?.[1] ?? '';
    const file = /\bfilename="([^"]*)"/i.exec(value) ?? /\bfilename=([^;\s]+)/i.exec(value);
    if (file) filename = file[1];
  }
  return { name, filename, contentType };
}

const malformed = () => S3Errors.malformedPostRequest();

/** Resolves once the file part begins; its stream then fails if the body is cut off before the closing boundary. */
export function readForm(source: Readable, boundary: string): Promise<FormUpload> {
  return new Promise((resolve, reject) => {
    const delimiter = Buffer.from(`\r\n--${boundary}`);
    const fields = new Map<string, string>();
    let fieldBytes = 0;
    // A CRLF before the first boundary makes it look like every later one.
    let buf: Buffer = Buffer.from('\r\n');
    let state: 'preamble' | 'next' | 'headers' | 'field' | 'file' | 'rest' = 'preamble';
    let field = '';
    let file: PassThrough | undefined;
    const writeFile = async (bytes: Buffer) => {
      if (bytes.length === 0 || file!.destroyed) return;
      if (file!.write(bytes)) return;
      // Backpressure: wait for the blob store to take it, or for the consumer to give up.
      await new Promise<void>((resolve) => {
        const done = () => {
          file!.off('drain', done);
          file!.off('close', done);
          resolve();
        };
        file!.on('drain', done);
        file!.on('close', done);
      });
    };
    const run = async () => {
      for await (const chunk of source) {
        if (state === 'rest') continue;
        buf = buf.length === 0 ? (chunk as Buffer) : Buffer.concat([buf, chunk as Buffer]);
        for (let progress = true; progress; ) {
          progress = false;
          if (state === 'preamble' || state === 'field') {
            const at = buf.indexOf(delimiter);
            if (at === -1) {
              if (state === 'field' && fieldBytes + buf.length > MAX_FIELDS_BYTES) throw S3Errors.invalidArgument('Max post size exceeded.');
              if (state === 'preamble') buf = buf.subarray(Math.max(0, buf.length - delimiter.length));
              break;
            }
            if (state === 'field') {
              fieldBytes += at;
              if (fieldBytes > MAX_FIELDS_BYTES) throw S3Errors.invalidArgument('Max post size exceeded.');
              fields.set(field, buf.subarray(0, at).toString('utf8'));
            }
            buf = buf.subarray(at + delimiter.length);
            state = 'next';
            progress = true;
          } else if (state === 'next') {
            if (buf.length < 2) break;
            if (buf[0] === 0x2d && buf[1] === 0x2d) throw S3Errors.invalidArgument("POST requires exactly one file upload per request.");
            const eol = buf.indexOf('\r\n');
            if (eol === -1) break;
            buf = buf.subarray(eol + 2);
            state = 'headers';
            progress = true;
          } else if (state === 'headers') {
            const end = buf.indexOf(CRLF2);
            if (end === -1) {
              if (buf.length > MAX_PART_HEADERS) throw malformed();
              break;
            }
            const h = partHeaders(buf.subarray(0, end).toString('utf8'));
            buf = buf.subarray(end + CRLF2.length);
            if (h.name.toLowerCase() === 'file') {
              file = new PassThrough();
              resolve({ fields, file: { filename: h.filename ?? '', contentType: h.contentType, body: file } });
              state = 'file';
            } else {
              field = h.name.toLowerCase();
              state = 'field';
            }
            progress = true;
          } else if (state === 'file') {
            const at = buf.indexOf(delimiter);
            if (at === -1) {
              // Keep what could be the start of the delimiter; the rest is surely file bytes.
              const safe = buf.length - delimiter.length + 1;
              if (safe > 0) {
                await writeFile(buf.subarray(0, safe));
                buf = buf.subarray(safe);
              }
              break;
            }
            await writeFile(buf.subarray(0, at));
            file!.end();
            state = 'rest';
            buf = Buffer.alloc(0);
          }
        }
      }
      if (state !== 'rest') throw state === 'file' ? S3Errors.incompleteBody() : malformed();
    };
    run().catch((err: unknown) => {
      if (file) file.destroy(err as Error);
      else reject(err);
      source.resume();
    });
  });
}
