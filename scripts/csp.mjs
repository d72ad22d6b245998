// Trunk post-build hook: writes the Content-Security-Policy into the staged index.html.
// Trunk's loader is an inline <script type="module">; the policy allows exactly that script by
// its SHA-256 (computed here, after the build, from the bytes Trunk wrote) and nothing else
// inline. See README.md ("Security").
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook');
const file = join(staging, 'index.html');
const html = readFileSync(file, 'utf8');
const PLACEHOLDER = "'inline-scripts'";
if (!html.includes(PLACEHOLDER)) throw new Error(`${file}: no ${PLACEHOLDER} in its Content-Security-Policy`);
const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
  .filter(([tag]) => !/\bsrc\s*=/.test(tag.slice(0, tag.indexOf('>'))))
  .map(([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
writeFileSync(file, html.replace(PLACEHOLDER, hashes.join(' ')));
console.log(`csp: allowed ${hashes.length} inline script(s) by hash in ${file}`);
