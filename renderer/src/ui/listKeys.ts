/**
 * Arrow-key movement in a list: the new active index for a key, or undefined for keys the list ignores.
 * `pageSize` rows for PageUp/PageDown.
 */
export function moveInList(key: string, active: number, count: number, pageSize: number): number | undefined {
  if (count === 0) return undefined;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(active + 1);
    case 'ArrowUp':
      return clamp(active - 1);
    case 'PageDown':
      return clamp(active + pageSize);
    case 'PageUp':
      return clamp(active - pageSize);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
