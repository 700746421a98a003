/**
 * Reading function packages. Every entry is checked before anything is written: no absolute paths,
 * no `..`, no links, and a bound on the unzipped size, as Lambda bounds it (250 MB).
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { Errors } from '../wire/errors.js';

export const MAX_UNZIPPED_BYTES = 262_144_000;

export interface ZipEntryInfo {
  path: string;
  directory: boolean;
  mode: number;
  size: number;
}

const invalidZip = () => Errors.invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');

function openZip(zip: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, file) =>
      err || !file ? reject(invalidZip()) : resolve(file),
    );
  });
}

function safePath(name: string): string {
  const cleaned = normalize(name.replace(/\\/g, '/'));
  if (cleaned.startsWith('/') || cleaned === '..' || cleaned.startsWith(`..${sep}`) || cleaned.includes(`${sep}..${sep}`)) {
    throw Errors.invalidParameter(`Could not unzip uploaded file: the entry '${name}' points outside the package.`);
  }
  return cleaned;
}

/** What a package takes once unzipped, in bytes (checked as inspectZip checks it). */
export async function unzippedSize(zip: Buffer): Promise<number> {
  return (await inspectZip(zip)).reduce((n, e) => n + e.size, 0);
}

/** Lists and checks every entry; throws InvalidParameterValueException for a bad package. */
export async function inspectZip(zip: Buffer): Promise<ZipEntryInfo[]> {
  const file = await openZip(zip);
  const entries: ZipEntryInfo[] = [];
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    file.on('entry', (e: yauzl.Entry) => {
      try {
        const unixMode = (e.externalFileAttributes >>> 16) & 0xffff;
        const fileType = unixMode & 0o170000;
        if (fileType === 0o120000) throw Errors.invalidParameter(`Symbolic links are not supported in function packages: '${e.fileName}'.`);
        const directory = e.fileName.endsWith('/');
        total += e.uncompressedSize;
        if (total > MAX_UNZIPPED_BYTES) throw Errors.invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
        entries.push({ path: safePath(e.fileName), directory, mode: unixMode & 0o777, size: e.uncompressedSize });
        file.readEntry();
      } catch (err) {
        file.close();
        reject(err);
      }
    });
    file.on('end', () => resolve());
    file.on('error', () => reject(invalidZip()));
    file.readEntry();
  });
  return entries;
}

/** Writes every entry under `dest`, keeping the executable bit, files read-only. */
export async function extractZip(zip: Buffer, dest: string): Promise<void> {
  await inspectZip(zip);
  const file = await openZip(zip);
  await mkdir(dest, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    file.on('entry', (e: yauzl.Entry) => {
      const rel = safePath(e.fileName);
      const target = join(dest, rel);
      if (e.fileName.endsWith('/')) {
        mkdir(target, { recursive: true }).then(() => file.readEntry(), reject);
        return;
      }
      const executable = ((e.externalFileAttributes >>> 16) & 0o111) !== 0;
      file.openReadStream(e, (err, stream) => {
        if (err || !stream) return reject(invalidZip());
        mkdir(dirname(target), { recursive: true })
          .then(() => pipeline(stream, createWriteStream(target, { mode: executable ? 0o555 : 0o444 })))
          .then(() => file.readEntry(), () => reject(invalidZip()));
      });
    });
    file.on('end', () => resolve());
    file.on('error', () => reject(invalidZip()));
    file.readEntry();
  });
}
