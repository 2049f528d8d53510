// The main chart: uPlot on a canvas (small and fast for thousands of points). The x axis
// is the bucket index, labelled with the API's own time labels, so the chart shows the
// site's time zone whatever the browser's is. Values show in a tooltip at the cursor
// (chart/tooltip.ts) rather than a legend line that is always there.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Metric } from '../api/types.js';
import { formatCount, formatMetric, METRIC_LABELS } from '../format/number.js';
import type { Interval } from '../time/range.js';
import { formatTimeLabel, type Series } from './series.js';
import { chartColors, useSchemeVersion } from './theme.js';
import { tooltipPlugin } from './tooltip.js';

export interface LineChartProps {
  series: Series<number | null>;
  metric: Metric;
  interval: Interval;
  label: string;
  /** The dashed line's name ("Previous period", "Last year", …). */
  compareLabel?: string;
  height?: number;
}

const COUNTS = new Set<Metric>(['visitors', 'visits', 'pageviews', 'events']);
const WHOLE_STEPS = [1, 2, 5]
  .flatMap((m) => Array.from({ length: 10 }, (_, e) => m * 10 ** e))
  .sort((a, b) => a - b);

function options(props: LineChartProps, width: number): uPlot.Options {
  const c = chartColors();
  const { labels, previousLabels } = props.series;
  const at = (i: number | null | undefined) => (i === null || i === undefined ? undefined : labels[i]);
  const axisStyle = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { show: false } };
  const series: uPlot.Series[] = [
    {
      label: props.interval[0]!.toUpperCase() + props.interval.slice(1),
      value: (_u, i) => formatTimeLabel(at(i) ?? '', props.interval, true),
    },
    {
      label: METRIC_LABELS[props.metric],
      stroke: c.line,
      fill: c.fill,
      width: 2,
      points: { show: labels.length < 40 },
      value: (_u, v) => formatMetric(props.metric, v),
    },
  ];
  if (props.series.previous) {
    series.push({
      label: props.compareLabel ?? 'Previous period',
      stroke: c.previous,
      width: 1.5,
      dash: [6, 4],
      points: { show: false },
      value: (u, v) => {
        const i = u.cursor.idx;
        const when = i === null || i === undefined ? '' : (previousLabels?.[i] ?? '');
        const text = formatMetric(props.metric, v);
        return when ? `${text} (${formatTimeLabel(when, props.interval, true)})` : text;
      },
    });
  }
  return {
    width,
    height: props.height ?? 260,
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    series,
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { show: false },
    // Room on the right for half of the last x label ("Nov 2026"), which uPlot centres on its tick.
    padding: [12, 36, 0, 0],
    plugins: [tooltipPlugin()],
    axes: [
      {
        ...axisStyle,
        // Wide enough for "Nov 2026" with room either side, so the outermost month labels
        // are not cut at the canvas edge.
        space: 80,
        incrs: [1, 2, 3, 4, 6, 7, 12, 14, 24, 28, 48, 96, 192],
        values: (_u, splits) =>
          splits.map((i) => (Number.isInteger(i) ? formatTimeLabel(at(i) ?? '', props.interval) : '')),
      },
      {
        ...axisStyle,
        size: 50,
        // Counts get whole-number ticks (no "0.2 visitors" on a quiet day).
        ...(COUNTS.has(props.metric) ? { incrs: WHOLE_STEPS } : {}),
        values: (_u, splits) =>
          splits.map((v) =>
            props.metric === 'visit_duration' || props.metric === 'bounce_rate'
              ? formatMetric(props.metric, v)
              : formatCount(v),
          ),
      },
    ],
  };
}

export function LineChart(props: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const scheme = useSchemeVersion();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = props.series.labels.map((_, i) => i);
    const data: uPlot.AlignedData = props.series.previous
      ? [xs, props.series.current, props.series.previous]
      : [xs, props.series.current];
    const plot = new uPlot(options(props, el.clientWidth || 600), data, el);
    const resize = new ResizeObserver(() => {
      if (el.clientWidth > 0) plot.setSize({ width: el.clientWidth, height: props.height ?? 260 });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.series, props.metric, props.interval, scheme]);
  return <div ref={box} class="line-chart" role="img" aria-label={props.label} />;
}
