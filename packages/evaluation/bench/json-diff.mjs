#!/usr/bin/env node
// Compares two `tributary evaluate --json` documents number by number (e.g. two builds' outputs
// saved by evaluate-speed.mjs): how many numbers differ, the largest relative difference
// |a − b| / max(|a|, |b|) and where, per key path (array indices folded to []). Exits 1 when a
// non-number differs or the largest relative difference exceeds --max (default 1e-12).
//
//   node packages/evaluation/bench/json-diff.mjs /tmp/evalbench/evaluate-before.json /tmp/evalbench/evaluate-after.json
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { max: { type: 'string', default: '1e-12' } } });
const [a, b] = positionals.map((f) => JSON.parse(readFileSync(f, 'utf8')));
let numbers = 0;
let differing = 0;
let maxRel = 0;
const byPath = new Map();
const other = [];
const walk = (x, y, path) => {
  if (typeof x === 'number' && typeof y === 'number') {
    numbers++;
    if (!Object.is(x, y)) {
      differing++;
      const rel = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
      if (!(rel <= maxRel)) maxRel = rel;
      const key = path.replace(/\.\d+/g, '[]');
      byPath.set(key, Math.max(byPath.get(key) ?? 0, rel));
    }
  } else if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object') {
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[k], y[k], `${path}.${k}`);
  } else if (x !== y) other.push(`${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
};
walk(a, b, '');
console.log(`${numbers} numbers, ${differing} differ, largest relative difference ${maxRel.toExponential(2)}`);
for (const [k, v] of [...byPath].sort((p, q) => q[1] - p[1])) console.log(`  ${k}: ${v.toExponential(2)}`);
for (const o of other) console.log(`  not a number: ${o}`);
process.exitCode = other.length > 0 || maxRel > Number(values.max) ? 1 : 0;
