// `pnpm tributary ...` (the root package.json script) runs in the repository root, while the
// user's relative paths mean the folder they typed the command in. pnpm (and npm) record that
// folder as INIT_CWD: run the CLI there, so every path argument resolves as the user meant it.
// Only this wrapper honours INIT_CWD; the `tributary` bin itself uses its own working directory.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'cli', 'dist', 'bin.js');
await import(pathToFileURL(bin).href);
