// Runs a TypeScript entry point transpile-only and fast. esbuild bundles the project's own modules
// (npm packages stay external) into node_modules/.cache/run-ts/, and later runs reuse that bundle
// until one of its input files changes. The bundle runs as if it were the entry file itself, so
// __dirname and module resolution are the entry's. Type-checking is `npm test`'s job (tsc); for
// stack traces into the TypeScript sources, run the entry with `node --import tsx` instead.
// Usage: node scripts/run-ts.cjs ENTRY.ts [ARGS...]
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');

const entry = path.resolve(process.argv[2]);
const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'run-ts');
const key = crypto.createHash('sha256').update(entry).digest('hex').slice(0, 16);
const bundleFile = path.join(cacheDir, `${key}.js`);
const inputsFile = path.join(cacheDir, `${key}.inputs.json`);

/** Whether the cached bundle is newer than every file it was built from. */
function isFresh() {
  try {
    const built = fs.statSync(bundleFile).mtimeMs;
    return JSON.parse(fs.readFileSync(inputsFile, 'utf-8')).every(file => fs.statSync(file).mtimeMs < built);
  } catch {
    return false;
  }
}

function bundle() {
  const result = require('esbuild').buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const inputs = Object.keys(result.metafile.inputs).map(file => path.resolve(file));
  fs.mkdirSync(cacheDir, { recursive: true });
  // Written to temporary names and renamed, so a concurrent run never reads half a bundle.
  const suffix = `.${process.pid}.tmp`;
  fs.writeFileSync(inputsFile + suffix, JSON.stringify(inputs));
  fs.writeFileSync(bundleFile + suffix, result.outputFiles[0].text);
  fs.renameSync(inputsFile + suffix, inputsFile);
  fs.renameSync(bundleFile + suffix, bundleFile);
  return result.outputFiles[0].text;
}

const code = isFresh() ? fs.readFileSync(bundleFile, 'utf-8') : bundle();
// The entry reads its arguments from process.argv.slice(2), as if it were run directly.
process.argv.splice(1, 2, entry);
const main = new Module(entry, null);
main.filename = entry;
main.paths = Module._nodeModulePaths(path.dirname(entry));
require.main = main;
main._compile(code, entry);
