// Every CLI test file cleans up the temporary folders it made (see helpers.tempDir).
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);
