/**
 * Sizes as people read them, the one formatter for the CLI, main's messages and the console: powers of
 * 1024 with their binary unit names (KiB, MiB: a "MB" label on a 1024-based number would be off by 5 %),
 * thousands separators and one decimal above bytes: "0 B", "1,023 B", "1.5 KiB", "48.3 MiB".
 */
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
// Made on first use: building an Intl formatter costs tens of ms, which every CLI command would pay at start.
let formatters: { readonly whole: Intl.NumberFormat; readonly oneDecimal: Intl.NumberFormat } | undefined;

export function formatBytes(bytes: number): string {
  formatters ??= {
    whole: new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }),
    oneDecimal: new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  };
  const { whole, oneDecimal } = formatters;
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const sign = bytes < 0 ? '-' : '';
  return `${sign}${unit === 0 ? whole.format(value) : oneDecimal.format(value)} ${BYTE_UNITS[unit]}`;
}
