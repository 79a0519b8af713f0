/** Sizes for progress lines, in the binary units Neo4j's later tools print (`15.07GiB`). */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes}${UNITS[0]}` : `${value.toFixed(2)}${UNITS[unit]}`;
}
