// Marks for the benchmarks (tap on Missing to the preview on screen). Cheap, and read only by the
// bench script over WebDriver.
export function mark(name: string) {
  performance.mark?.(name);
}

export function measure(name: string, start: string, end?: string): number | null {
  try {
    const m = end ? performance.measure(name, start, end) : performance.measure(name, start);
    return m.duration;
  } catch {
    return null;
  }
}
