// After `next build`: writes the service worker with this build's files into the export,
// and refuses an export that would not work when served by the control plane.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const out = new URL('../out/', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(`/${relative(out, path)}`);
  }
})(out);

const pages = files.filter((f) => f.endsWith('/index.html')).map((f) => f.slice(0, -'index.html'.length));
for (const required of ['/', '/login/', '/sales/', '/owner/']) {
  if (!pages.includes(required)) throw new Error(`the export has no page ${required}`);
}
// The shell: every page and the code and styles they load (not the RSC payloads, fetched on navigation).
const shell = [
  ...pages,
  ...files.filter((f) => f.startsWith('/_next/static/') || f.startsWith('/icons/') || f === '/manifest.webmanifest'),
];
const version = createHash('sha256')
  .update(files.map((f) => f + statSync(join(out, f)).size).join('\n'))
  .digest('hex')
  .slice(0, 12);
const template = readFileSync(new URL('./sw-template.js', import.meta.url), 'utf8');
writeFileSync(join(out, 'sw.js'), template.replace('__VERSION__', version).replace('__PRECACHE__', JSON.stringify(shell)));
console.log(`web: ${pages.length} pages, ${shell.length} files in the offline shell, service worker ${version}`);
