// Trunk post-build hook (after scripts/csp.mjs, which changes index.html): writes into the
// staged sw.js the files it precaches (every file of the build but sw.js itself, relative to
// it) and a version hashed from their names and bytes, so any change to any of them makes a
// new sw.js, which browsers see as an update. See sw.js and README.md ("Offline and installing").
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook');
const worker = join(staging, 'sw.js');
const PLACEHOLDER = "'BUILD_PRECACHE'";
const source = readFileSync(worker, 'utf8');
if (!source.includes(PLACEHOLDER)) throw new Error(`${worker}: no ${PLACEHOLDER} to replace`);

/** Paths of the files under `dir`, relative to `staging`, with `/` between folders. */
const filesUnder = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
  const path = join(dir, entry.name);
  if (entry.isDirectory()) return filesUnder(path);
  return entry.isFile() ? [relative(staging, path).split(sep).join('/')] : [];
});
const files = filesUnder(staging).filter((file) => file !== 'sw.js').sort();
const hash = createHash('sha256');
for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(staging, file))).update('\0');
const build = { version: hash.digest('hex').slice(0, 16), files };

writeFileSync(worker, source.replace(PLACEHOLDER, () => JSON.stringify(build)));
console.log(`precache: version ${build.version}, ${files.length} files in ${worker}`);
