import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.txt', '.svg', '.map']);
/** The whole export is read into memory at start: past this it is not a web app's shell. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

interface WebFile {
  body: Buffer;
  gzipped?: Buffer;
  type: string;
  etag: string;
  /** Content-hashed build output: cached for a year, never revalidated. */
  immutable: boolean;
  compressible: boolean;
  /** A page's inline scripts (Next's hydration data), as CSP `sha256-` sources. */
  scriptHashes?: string[];
}

/** Inline `<script>` elements of a page: their text, exactly as the browser hashes it. */
const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/**
 * The web app's static export, held in memory and served by the front door: `login/index.html`
 * answers `/login/` and `/login`; `_next/static/` is immutable; everything else revalidates by
 * ETag, so a new release reaches every screen on its next load. Gzip is computed once per file.
 */
export class WebAppFiles {
  private constructor(
    private readonly files: Map<string, WebFile>,
    private readonly domain: string,
  ) {}

  /** `domain`: the platform's, whose `<slug>.` hosts the owner's app reads across origins. */
  static async load(root: string, domain: string): Promise<WebAppFiles | null> {
    const found = await stat(root).catch(() => null);
    if (!found?.isDirectory()) return null;
    const files = new Map<string, WebFile>();
    let total = 0;
    for (const path of await filesUnder(root)) {
      const body = await readFile(path);
      total += body.length;
      if (total > MAX_TOTAL_BYTES) throw new Error(`the web app in ${root} is larger than ${MAX_TOTAL_BYTES} bytes`);
      const urlPath = `/${relative(root, path).split(sep).join('/')}`;
      const ext = extname(path).toLowerCase();
      const file: WebFile = {
        body,
        type: CONTENT_TYPES[ext] ?? 'application/octet-stream',
        etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
        immutable: urlPath.startsWith('/_next/static/'),
        compressible: COMPRESSIBLE.has(ext),
        ...(ext === '.html'
          ? {
              scriptHashes: [...body.toString('utf8').matchAll(INLINE_SCRIPT)].map(
                (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
              ),
            }
          : {}),
      };
      files.set(urlPath, file);
      if (urlPath.endsWith('/index.html')) {
        const page = urlPath.slice(0, -'index.html'.length);
        files.set(page, file);
        if (page !== '/') files.set(page.slice(0, -1), file);
      }
    }
    return new WebAppFiles(files, domain);
  }

  get size(): number {
    return this.files.size;
  }

  /** Whether this request is for a file of the app (GET or HEAD of a path it has). */
  has(req: IncomingMessage): boolean {
    return (req.method === 'GET' || req.method === 'HEAD') && this.files.has(pathOf(req.url));
  }

  serve(req: IncomingMessage, res: ServerResponse): void {
    const file = this.files.get(pathOf(req.url))!;
    res.setHeader('content-type', file.type);
    res.setHeader('etag', file.etag);
    res.setHeader('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    if (file.scriptHashes) {
      res.setHeader('x-frame-options', 'DENY');
      res.setHeader('content-security-policy', this.policyFor(file.scriptHashes, req.headers.host));
    }
    if (file.compressible) res.setHeader('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304).end();
      return;
    }
    let body = file.body;
    if (file.compressible && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      file.gzipped ??= gzipSync(file.body, { level: 9 });
      body = file.gzipped;
      res.setHeader('content-encoding', 'gzip');
    }
    res.setHeader('content-length', body.length);
    res.writeHead(200);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /**
   * The pages' Content-Security-Policy. Sessions live in localStorage, so injected script is
   * the threat that matters: scripts only from this origin plus the page's own inline ones by
   * hash (no 'unsafe-inline'), no plugins, no framing, no other base or form target. Requests
   * and WebSockets go to this host or another of the platform's (the owner's app reads each
   * business's cell), on the port the page was served from.
   */
  private policyFor(scriptHashes: string[], host: string | undefined): string {
    const port = /:(\d{1,5})$/.exec(host ?? '')?.[1];
    const platformHosts = ['https', 'wss', 'http', 'ws'].map((scheme) => `${scheme}://*.${this.domain}${port ? `:${port}` : ''}`);
    return [
      "default-src 'self'",
      `script-src 'self' ${scriptHashes.join(' ')}`.trim(),
      // React and uPlot set element styles; a style cannot run code.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src 'self' ${platformHosts.join(' ')}`,
      "worker-src 'self'",
      "manifest-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; ');
  }
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
