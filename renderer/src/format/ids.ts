/** A long id or hash shortened for a table: "3f9a0c12…9be1" (the full value goes in a tooltip). */
export function shortenId(value: string, head = 8, tail = 4): string {
  return value.length <= head + tail + 1 ? value : `${value.slice(0, head)}…${value.slice(-tail)}`;
}
