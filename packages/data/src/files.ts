/** Reading input files with errors that name the path and say what to do. */
import { readFile } from 'node:fs/promises';
import { TributaryError } from './errors.js';

/**
 * Reads a UTF-8 text file. A missing file is a `TributaryError` with code `FILE_NOT_FOUND`
 * naming the path; a directory or another read failure has code `FILE_UNREADABLE`.
 * `what` names the file in the messages (e.g. `'Lift-test file'`).
 */
export async function readTextFile(path: string, what = 'File', kind = 'a CSV file'): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new TributaryError(
        'FILE_NOT_FOUND',
        `${what} not found: ${path} — check the path (a relative path starts from ${process.cwd()}).`,
        { cause: err },
      );
    }
    if (code === 'EISDIR') {
      throw new TributaryError('FILE_UNREADABLE', `${path} is a directory — give the path of ${kind}.`, { cause: err });
    }
    throw new TributaryError(
      'FILE_UNREADABLE',
      `Cannot read ${path}: ${(err as Error).message} — check that the file is readable.`,
      { cause: err },
    );
  }
}
