'use client';
import { useEffect, useRef } from 'react';
import 'uplot/dist/uPlot.min.css';
import type uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** Bars rather than a line. */
  bars?: boolean;
  /** Drawn as a band between this series and the one named (forecast intervals). */
  bandWith?: number;
  dash?: number[];
}

/**
 * A small uPlot chart (loaded on first use, so pages without charts do not carry it), sized
 * to its container. `xLabels` name the points; a table beside each chart gives the same
 * figures to screen readers.
 */
export function Chart({
  title,
  xLabels,
  series,
  height = 220,
  format,
}: {
  title: string;
  xLabels: string[];
  series: ChartSeries[];
  height?: number;
  format?: (value: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const formatRef = useRef(format);
  formatRef.current = format;
  // Callers pass fresh arrays each render: the chart is rebuilt only when the figures change.
  const figures = JSON.stringify({ xLabels, series, height });
  useEffect(() => {
    const { xLabels, series, height } = JSON.parse(figures) as { xLabels: string[]; series: ChartSeries[]; height: number };
    let plot: uPlot | undefined;
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled || !box.current) return;
      const width = box.current.clientWidth || 320;
      const bars = UPlot.paths.bars?.({ size: [0.7, 48] });
      const opts: uPlot.Options = {
        width,
        height,
        legend: { show: series.length > 1 },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [
          { values: (_u, splits) => splits.map((i) => xLabels[Math.round(i)] ?? ''), gap: 4 },
          { values: (_u, splits) => splits.map((v) => (formatRef.current ? formatRef.current(v) : String(v))), size: 70 },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: s.bars ? s.color : undefined,
            width: s.bars ? 0 : 2,
            dash: s.dash,
            paths: s.bars ? bars : undefined,
            points: { show: !s.bars && xLabels.length < 20 },
          })),
        ],
        bands: series.flatMap((s, i) =>
          s.bandWith === undefined ? [] : [{ series: [i + 1, s.bandWith + 1] as [number, number], fill: 'rgba(196, 30, 58, 0.12)' }],
        ),
      };
      const data: uPlot.AlignedData = [xLabels.map((_, i) => i), ...series.map((s) => s.values)];
      plot = new UPlot(opts, data, box.current);
      observer = new ResizeObserver(() => box.current && plot?.setSize({ width: box.current.clientWidth, height }));
      observer.observe(box.current);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [figures]);
  return <div ref={box} className="chart" role="img" aria-label={title} />;
}
