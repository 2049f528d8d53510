// Screen class from the tracker's reported screen width (CSS pixels). The breakpoints and the
// names are Plausible's, so numbers imported from or compared with Plausible line up.
export type ScreenClass = 'Mobile' | 'Tablet' | 'Laptop' | 'Desktop' | '';

export function screenClass(width: number | null): ScreenClass {
  // The width comes from the payload, so anything that is not a positive finite number
  // (null, 0, NaN, negative, Infinity) means "not reported" rather than a guess.
  if (width === null || !Number.isFinite(width) || width <= 0) return '';
  if (width < 576) return 'Mobile';
  if (width < 992) return 'Tablet';
  if (width < 1440) return 'Laptop';
  return 'Desktop';
}
