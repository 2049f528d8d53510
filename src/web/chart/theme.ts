// Canvas charts cannot read CSS, so their colours come from the stylesheet's custom
// properties, re-read when the system switches between light and dark.
import { useEffect, useState } from 'preact/hooks';

export interface ChartColors {
  line: string;
  previous: string;
  grid: string;
  text: string;
  fill: string;
}

export function chartColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    line: v('--chart-line', '#4f46e5'),
    previous: v('--chart-previous', '#9ca3af'),
    grid: v('--chart-grid', '#e5e7eb'),
    text: v('--text-muted', '#6b7280'),
    fill: v('--chart-fill', 'rgba(79,70,229,0.12)'),
  };
}

/** A number that changes when the colour scheme does (use it as an effect dependency). */
export function useSchemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const bump = () => setVersion((n) => n + 1);
    mq.addEventListener('change', bump);
    return () => mq.removeEventListener('change', bump);
  }, []);
  return version;
}
