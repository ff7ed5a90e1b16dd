'use client';
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

/** Modules of light margin around the code, as the QR standard asks for a reliable scan. */
const QUIET_ZONE = 4;

/**
 * A QR code as one SVG path (crisp at any size, no canvas), for a customer's phone to scan
 * from the counter tablet. Error correction M: a worn or glaring screen still reads.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, path } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const count = qr.getModuleCount();
    let d = '';
    for (let row = 0; row < count; row++) {
      for (let col = 0; col < count; col++) if (qr.isDark(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
    return { size: count + 2 * QUIET_ZONE, path: d };
  }, [text]);
  return (
    <svg className="qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shapeRendering="crispEdges" data-testid="pay-qr">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
