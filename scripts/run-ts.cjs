// Runs a TypeScript entry point transpile-only and fast. esbuild bundles the project's own modules
// (npm packages stay external) into node_modules/.cache/run-ts/, and later runs reuse that bundle
// until the content of one of its input files changes (hashes, not modification times, which
// `cp -p`, tar and rsync carry over). The bundle runs as if it were the entry file itself, so
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

/** The sha256 of a file's content, or null when it is gone. */
function digest(file) {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/** Whether every file the cached bundle was built from still has the content it was built from. */
function isFresh() {
  try {
    const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf-8'));
    return fs.existsSync(bundleFile) && Object.entries(inputs).every(([file, hash]) => digest(file) === hash);
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
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map(file => [path.resolve(file), digest(path.resolve(file))]));
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
