/** @jsxImportSource hono/jsx/dom */
import { useEffect, useRef, useState } from 'hono/jsx/dom';
import { areaPath, labelIndices, linePath, niceTicks } from '../lib/chart-math';

/** One series of a chart; its colour comes from the CSS (`.series-<tone>`). */
export interface Series {
  name: string;
  tone: string;
  values: number[];
}

const PAD = { top: 12, right: 12, bottom: 26, left: 52 };
const HEIGHT = 200;

function useWidth(): [{ current: HTMLDivElement | null }, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(240, Math.floor(el.clientWidth))));
    observer.observe(el);
    setWidth(Math.max(240, Math.floor(el.clientWidth)));
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * A time chart drawn by hand in SVG: stacked bars (`bars`) or lines over
 * filled areas, with axes, a legend and a tooltip that follows the pointer.
 */
export function TimeChart(props: {
  times: number[];
  series: Series[];
  kind: 'bars' | 'lines';
  formatValue: (v: number) => string;
  formatTime: (t: number) => string;
  formatTip: (t: number) => string;
  label: string;
}) {
  const [box, width] = useWidth();
  const [hover, setHover] = useState<number | null>(null);
  const { times, series, kind } = props;
  const n = times.length;
  const innerW = width - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const stacked = kind === 'bars';
  const totals = times.map((_, i) =>
    stacked
      ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const ticks = niceTicks(Math.max(0, ...totals));
  const top = ticks[ticks.length - 1] || 1;
  const slot = n > 0 ? innerW / n : innerW;
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const onMove = (e: PointerEvent) => {
    const rect = (e.currentTarget as SVGElement).getBoundingClientRect();
    const i = Math.floor((e.clientX - rect.left - PAD.left) / slot);
    setHover(i >= 0 && i < n ? i : null);
  };

  const shapes = [];
  if (kind === 'bars') {
    const barW = Math.max(1, slot * 0.72);
    for (let i = 0; i < n; i++) {
      let base = 0;
      for (const s of series) {
        const v = s.values[i] ?? 0;
        if (v > 0) {
          shapes.push(
            <rect
              class={`bar series-${s.tone}`}
              x={(x(i) - barW / 2).toFixed(1)}
              y={y(base + v).toFixed(1)}
              width={barW.toFixed(1)}
              height={Math.max(0.5, y(base) - y(base + v)).toFixed(1)}
              rx={barW > 6 ? 2 : 0}
            />,
          );
        }
        base += v;
      }
    }
  } else {
    for (const s of series) {
      const points = s.values.map((v, i) => [x(i), y(v)] as const);
      shapes.push(<path class={`area series-${s.tone}`} d={areaPath(points, y(0))} />);
      shapes.push(<path class={`line series-${s.tone}`} d={linePath(points)} />);
    }
  }

  const tipLeft = hover === null ? 0 : Math.min(Math.max(x(hover) + 12, 8), width - 180);
  return (
    <figure class="chart" aria-label={props.label}>
      <div class="chart-legend">
        {series.map((s) => (
          <span class="legend-item">
            <i class={`legend-dot series-${s.tone}`} />
            {s.name}
          </span>
        ))}
      </div>
      <div class="chart-box" ref={box}>
        <svg
          width={width}
          height={HEIGHT}
          role="img"
          aria-label={props.label}
          onPointerMove={onMove}
          onPointerLeave={() => setHover(null)}
        >
          {ticks.map((tick) => (
            <g>
              <line class="grid" x1={PAD.left} x2={width - PAD.right} y1={y(tick)} y2={y(tick)} />
              <text class="axis" x={PAD.left - 6} y={y(tick) + 4} text-anchor="end">
                {props.formatValue(tick)}
              </text>
            </g>
          ))}
          {labelIndices(n, width < 480 ? 3 : 5).map((i, k, all) => (
            <text
              class="axis"
              x={
                k === 0
                  ? Math.max(PAD.left, x(i) - slot / 2)
                  : k === all.length - 1
                    ? Math.min(width - PAD.right, x(i) + slot / 2)
                    : x(i)
              }
              y={HEIGHT - 6}
              text-anchor={k === 0 ? 'start' : k === all.length - 1 ? 'end' : 'middle'}
            >
              {props.formatTime(times[i])}
            </text>
          ))}
          {shapes}
          {hover !== null ? (
            <line class="cursor" x1={x(hover)} x2={x(hover)} y1={PAD.top} y2={PAD.top + innerH} />
          ) : null}
          {hover !== null && kind === 'lines'
            ? series.map((s) => (
                <circle class={`dot series-${s.tone}`} cx={x(hover)} cy={y(s.values[hover] ?? 0)} r="3.5" />
              ))
            : null}
        </svg>
        {hover !== null ? (
          <div class="chart-tip" style={{ left: `${tipLeft}px` }}>
            <div class="chart-tip-time">{props.formatTip(times[hover])}</div>
            {series.map((s) => (
              <div class="chart-tip-row">
                <i class={`legend-dot series-${s.tone}`} />
                <span>{s.name}</span>
                <b>{props.formatValue(s.values[hover] ?? 0)}</b>
              </div>
            ))}
          </div>
        ) : null}
      </div>
    </figure>
  );
}

/** A ranked list with a bar behind each row (top models, top clients). */
export function BarList(props: {
  rows: Array<{ label: string; value: number; note?: string }>;
  format: (v: number) => string;
}) {
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <ol class="bar-list">
      {props.rows.map((row) => (
        <li class="bar-row">
          <span class="bar-fill" style={{ width: `${((row.value / max) * 100).toFixed(1)}%` }} />
          <span class="bar-label" title={row.label}>
            {row.label}
          </span>
          {row.note ? <span class="bar-note">{row.note}</span> : null}
          <span class="bar-value">{props.format(row.value)}</span>
        </li>
      ))}
    </ol>
  );
}
