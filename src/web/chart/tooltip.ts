// The chart's hover tooltip: the bucket's time and each line's value next to the cursor,
// in place of uPlot's legend row that was always on screen. Built from DOM nodes with
// textContent (never HTML), inside uPlot's overlay so it moves with the chart.
import type uPlot from 'uplot';

/** A series' text for bucket `i`, through its own `value` formatter. */
function valueText(u: uPlot, si: number, i: number): string {
  const s = u.series[si];
  const raw = u.data[si]?.[i] ?? null;
  if (!s) return '';
  // uPlot types the raw value as a number; a blank (future) bucket is null, which our formatters take.
  if (typeof s.value === 'function') return String(s.value(u, raw as number, si, i));
  return raw === null ? '—' : String(raw);
}

function el(tag: string, className: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function tooltipPlugin(): uPlot.Plugin {
  let tip: HTMLElement | undefined;
  const hide = () => {
    if (tip) tip.hidden = true;
  };
  return {
    hooks: {
      init: (u) => {
        tip = el('div', 'chart-tip');
        tip.hidden = true;
        u.over.appendChild(tip);
        u.over.addEventListener('mouseleave', hide);
      },
      setCursor: (u) => {
        const i = u.cursor.idx;
        const left = u.cursor.left ?? -1;
        if (!tip || i === null || i === undefined || left < 0) return hide();
        const rows = u.series.slice(1).map((s, n) => {
          const row = el('div', 'chart-tip-row');
          const swatch = el('span', 'chart-tip-swatch');
          // uPlot turns a series' stroke into a function once the chart is built.
          const stroke = typeof s.stroke === 'function' ? s.stroke(u, n + 1) : s.stroke;
          if (typeof stroke === 'string') swatch.style.background = stroke;
          row.append(
            swatch,
            el('span', 'chart-tip-label', `${s.label ?? ''}: `),
            el('strong', '', valueText(u, n + 1, i)),
          );
          return row;
        });
        tip.replaceChildren(el('div', 'chart-tip-head', valueText(u, 0, i)), ...rows);
        tip.hidden = false;
        // Right of the cursor, or left of it near the right edge; never above the plot.
        const width = tip.offsetWidth;
        const x = left + 14 + width > u.over.clientWidth ? left - 14 - width : left + 14;
        tip.style.left = `${Math.max(0, x)}px`;
        tip.style.top = `${Math.max(0, (u.cursor.top ?? 0) - tip.offsetHeight / 2)}px`;
      },
    },
  };
}
