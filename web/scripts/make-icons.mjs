// Draws the app icon (a bowl of phở on the brand red) as PNGs for the web manifest.
// Run once when the icon changes: node web/scripts/make-icons.mjs; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const RED = [179, 18, 46];
const WHITE = [255, 255, 255];

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size, pixel) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x / size, y / size), y * (size * 3 + 1) + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Drawn in the middle 60 % so the maskable crop (a circle of 80 %) keeps all of it.
function bowl(x, y) {
  const [cx, cy] = [0.5, 0.5];
  const inBowl = y >= cy && (x - cx) ** 2 + (y - cy) ** 2 <= 0.27 ** 2;
  const rim = Math.abs(y - cy) < 0.025 && Math.abs(x - cx) < 0.3;
  const steam = [0.4, 0.5, 0.6].some((sx) => Math.abs(x - sx - 0.02 * Math.sin(y * 40)) < 0.018 && y > 0.22 && y < 0.44);
  return inBowl || rim || steam ? WHITE : RED;
}

const out = new URL('../public/icons/', import.meta.url);
for (const size of [192, 512]) writeFileSync(new URL(`icon-${size}.png`, out), png(size, bowl));
