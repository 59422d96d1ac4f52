// Compiles every Solidity source under src/main/solidity with the pinned npm `solc` (standard JSON input)
// and writes <Contract>.abi and <Contract>.bin for every deployable contract into target/solidity.
// Exits non-zero with the compiler's messages on any error, so the Maven build fails.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const SOLC_VERSION = '0.8.30';
// Cancun: supported by every chain we target (Anvil defaults to a later fork and runs it unchanged),
// while the solc default (prague) would let newer opcodes slip into bytecode meant for older chains.
const EVM_VERSION = 'cancun';

const moduleDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(moduleDir, 'src', 'main', 'solidity');
const outputDir = join(moduleDir, 'target', 'solidity');

function fail(message) {
  console.error(`[solidity] ${message}`);
  process.exit(1);
}

function loadSolc() {
  const require = createRequire(import.meta.url);
  try {
    return require('solc');
  } catch (e) {
    fail(`cannot load the npm package 'solc' (${e.message}); run 'npm ci' in the contracts module`);
  }
}

function listSources(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listSources(path);
      return entry.name.endsWith('.sol') ? [path] : [];
    })
    .sort();
}

const solc = loadSolc();
if (!solc.version().startsWith(`${SOLC_VERSION}+`)) {
  fail(`expected solc ${SOLC_VERSION} but loaded ${solc.version()}; run 'npm ci' in the contracts module`);
}
if (!existsSync(sourceDir)) fail(`no Solidity sources: ${sourceDir} does not exist`);

const files = listSources(sourceDir);
if (files.length === 0) fail(`no .sol files under ${sourceDir}`);

// Source unit names are paths relative to the source root, so `import "./X.sol"` resolves among them.
const unitName = (path) => relative(sourceDir, path).split(sep).join('/');
const sources = Object.fromEntries(
  files.map((path) => [unitName(path), { content: readFileSync(path, 'utf8') }]),
);

const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: EVM_VERSION,
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};

function findImports(path) {
  const file = join(sourceDir, path);
  if (existsSync(file)) return { contents: readFileSync(file, 'utf8') };
  return { error: `import not found under ${sourceDir}: ${path}` };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const messages = output.errors ?? [];
const errors = messages.filter((m) => m.severity === 'error');
for (const m of messages.filter((m) => m.severity !== 'error')) {
  console.warn(m.formattedMessage.trimEnd());
}
if (errors.length > 0) {
  for (const m of errors) console.error(m.formattedMessage.trimEnd());
  fail(`compilation failed with ${errors.length} error(s)`);
}

rmSync(outputDir, { recursive: true, force: true });
mkdirSync(outputDir, { recursive: true });

const written = new Map();
for (const [unit, contracts] of Object.entries(output.contracts ?? {})) {
  for (const [name, artifact] of Object.entries(contracts)) {
    const bytecode = artifact.evm?.bytecode?.object ?? '';
    if (bytecode.length === 0) continue; // interfaces and abstract contracts cannot be deployed
    if (written.has(name)) fail(`contract name ${name} is defined in both ${written.get(name)} and ${unit}`);
    written.set(name, unit);
    writeFileSync(join(outputDir, `${name}.abi`), JSON.stringify(artifact.abi));
    writeFileSync(join(outputDir, `${name}.bin`), bytecode);
  }
}
console.log(
  `[solidity] solc ${solc.version()} (evm ${EVM_VERSION}, optimizer on): ` +
    `${files.length} source(s) -> ${written.size} contract(s) in ${relative(moduleDir, outputDir)}: ` +
    [...written.keys()].sort().join(', '),
);
