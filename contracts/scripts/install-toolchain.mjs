// Runs `npm ci` in the contracts module unless node_modules already holds exactly what package-lock.json
// pins. A marker file inside node_modules records the lockfile hash of the last successful install;
// `npm ci` wipes node_modules first, so an interrupted install never leaves a valid marker behind.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lockfile = join(moduleDir, 'package-lock.json');
const nodeModules = join(moduleDir, 'node_modules');
const marker = join(nodeModules, '.reservebtc-lockfile.sha256');
const requiredFiles = [
  join(nodeModules, 'solc', 'package.json'),
  join(nodeModules, '@foundry-rs', 'anvil-linux-amd64', 'bin', 'anvil'),
];

const lockHash = createHash('sha256').update(readFileSync(lockfile)).digest('hex');
const upToDate =
  existsSync(marker) &&
  readFileSync(marker, 'utf8').trim() === lockHash &&
  requiredFiles.every((file) => existsSync(file));

if (upToDate) {
  console.log('[toolchain] node_modules matches package-lock.json; skipping npm ci');
  process.exit(0);
}

console.log('[toolchain] installing the pinned toolchain with npm ci');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: moduleDir, stdio: 'inherit' });
if (result.error) {
  console.error(`[toolchain] cannot run npm (${result.error.message}); install Node.js 20+ with npm`);
  process.exit(1);
}
if (result.status !== 0) {
  console.error(`[toolchain] npm ci failed with exit code ${result.status}`);
  process.exit(result.status ?? 1);
}
const missing = requiredFiles.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`[toolchain] npm ci finished but these files are missing: ${missing.join(', ')}`);
  process.exit(1);
}
writeFileSync(marker, `${lockHash}\n`);
