// Results are written into a temporary sibling folder, then renamed into place, so a failure or an
// interrupt never leaves a half-written results folder behind.
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Runs `fill(tmpDir)` and then atomically replaces `finalDir` with the filled folder. On any
 * error (or abort) the temporary folder is removed and `finalDir` is left as it was.
 */
export async function writeDirAtomic(finalDir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(finalDir)}.tmp-`));
  try {
    await fill(tmp);
    const old = `${tmp}.old`;
    let hadOld = false;
    try {
      await rename(finalDir, old);
      hadOld = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await rename(tmp, finalDir);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
