import { useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { moveInList } from './listKeys.js';
import './DataTable.css';

export interface Column<T> {
  readonly id: string;
  readonly header: ReactNode;
  /** Plain text of the header for the sort and resize controls' labels. */
  readonly label: string;
  readonly cell: (row: T) => ReactNode;
  /** Makes the column sortable; null sorts last. */
  readonly sortValue?: (row: T) => number | string | null;
  readonly align?: 'left' | 'right';
  /** Initial width in pixels (the last column takes what is left when absent). */
  readonly width?: number;
  readonly mono?: boolean;
  /** The cell's tooltip (e.g. a full path shortened in the cell). */
  readonly title?: (row: T) => string | undefined;
}

export interface SortState {
  readonly id: string;
  readonly dir: 'asc' | 'desc';
}

interface DataTableProps<T> {
  readonly rows: readonly T[];
  readonly columns: readonly Column<T>[];
  readonly rowKey: (row: T) => string;
  /** The table's accessible name. */
  readonly label: string;
  readonly initialSort?: SortState;
  readonly selectedKey?: string | null;
  /** Enter, click or arrow keys select a row. */
  readonly onSelect?: (row: T) => void;
  /** Extra attributes for a row (data-* for tests, a tone class). */
  readonly rowClass?: (row: T) => string;
  readonly rowData?: (row: T) => Readonly<Record<`data-${string}`, string>>;
  readonly empty?: ReactNode;
  readonly testId?: string;
}

const MIN_WIDTH = 48;
/** A column without a width takes what is left, but never less than this (the table scrolls sideways instead). */
const AUTO_MIN_WIDTH = 140;

function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

/**
 * A dense table: sortable columns (click or Enter on a header), resizable columns (drag the edge of a
 * header, or focus it and press ←/→), and rows that move with the arrow keys and select with Enter.
 */
export function DataTable<T>({ rows, columns, rowKey, label, initialSort, selectedKey = null, onSelect, rowClass, rowData, empty, testId }: DataTableProps<T>) {
  const [sort, setSort] = useState<SortState | undefined>(initialSort);
  const [widths, setWidths] = useState<Readonly<Record<string, number>>>({});
  const [active, setActive] = useState(0);
  const body = useRef<HTMLTableSectionElement>(null);

  const sorted = useMemo(() => {
    const column = columns.find((c) => c.id === sort?.id);
    if (column?.sortValue === undefined || sort === undefined) return rows;
    const value = column.sortValue;
    const sign = sort.dir === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      // Missing values stay last whatever the direction.
      if (va === null || vb === null) return compare(va, vb);
      return sign * compare(va, vb);
    });
  }, [rows, columns, sort]);

  const widthOf = (c: Column<T>) => widths[c.id] ?? c.width;
  const resize = (id: string, width: number) => setWidths((w) => ({ ...w, [id]: Math.max(MIN_WIDTH, Math.round(width)) }));

  const focusRow = (index: number) => {
    setActive(index);
    body.current?.querySelectorAll<HTMLTableRowElement>('tr')[index]?.focus();
  };
  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const row = sorted[index];
      if (row !== undefined) onSelect?.(row);
      return;
    }
    const next = moveInList(e.key, index, sorted.length, 10);
    if (next === undefined) return;
    e.preventDefault();
    focusRow(next);
    const row = sorted[next];
    if (row !== undefined) onSelect?.(row);
  };

  const activeIndex = Math.min(active, Math.max(0, sorted.length - 1));
  const selectedIndex = selectedKey === null ? -1 : sorted.findIndex((r) => rowKey(r) === selectedKey);
  const tabStop = selectedIndex >= 0 ? selectedIndex : activeIndex;

  return (
    <div className="data-table__frame" data-testid={testId}>
      <table className="data-table" aria-label={label} style={{ minWidth: columns.reduce((sum, c) => sum + (widthOf(c) ?? AUTO_MIN_WIDTH), 0) }}>
        <colgroup>
          {columns.map((c) => {
            const w = widthOf(c);
            return <col key={c.id} style={w === undefined ? undefined : { width: w }} />;
          })}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c) => {
              const sorting = sort?.id === c.id ? sort.dir : undefined;
              return (
                <th key={c.id} className={c.align === 'right' ? 'num' : undefined} aria-sort={sorting === undefined ? undefined : sorting === 'asc' ? 'ascending' : 'descending'} scope="col">
                  {c.sortValue === undefined ? (
                    <span className="data-table__head">{c.header}</span>
                  ) : (
                    <button
                      type="button"
                      className="data-table__head data-table__sort"
                      aria-label={`Sort by ${c.label}`}
                      onClick={() => setSort((s) => ({ id: c.id, dir: s?.id === c.id && s.dir === 'desc' ? 'asc' : s?.id === c.id ? 'desc' : 'asc' }))}
                    >
                      {c.header}
                      <span className="data-table__arrow" aria-hidden="true">
                        {sorting === 'asc' ? '▲' : sorting === 'desc' ? '▼' : ''}
                      </span>
                    </button>
                  )}
                  <ResizeHandle label={c.label} onResize={(delta, from) => resize(c.id, from + delta)} />
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody ref={body}>
          {sorted.map((row, index) => {
            const key = rowKey(row);
            const selected = key === selectedKey;
            return (
              <tr
                key={key}
                className={`${selected ? 'data-table__row--selected ' : ''}${onSelect === undefined ? '' : 'data-table__row--clickable '}${rowClass?.(row) ?? ''}`}
                aria-selected={onSelect === undefined ? undefined : selected}
                tabIndex={onSelect === undefined ? undefined : index === tabStop ? 0 : -1}
                onClick={() => {
                  setActive(index);
                  onSelect?.(row);
                }}
                onKeyDown={onSelect === undefined ? undefined : (e) => onRowKey(e, index)}
                {...rowData?.(row)}
              >
                {columns.map((c) => (
                  <td key={c.id} className={`${c.align === 'right' ? 'num' : ''}${c.mono === true ? ' mono' : ''}`} title={c.title?.(row)}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {sorted.length === 0 && empty !== undefined && <div className="data-table__empty">{empty}</div>}
    </div>
  );
}

/** The right edge of a header: drag it, or focus it and use ←/→ (Shift for bigger steps). */
function ResizeHandle({ label, onResize }: { readonly label: string; readonly onResize: (delta: number, from: number) => void }) {
  const start = useRef<{ x: number; width: number } | null>(null);
  const cellWidth = (el: Element) => el.closest('th')?.getBoundingClientRect().width ?? 100;
  return (
    <span
      className="data-table__resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${label}`}
      tabIndex={0}
      onPointerDown={(e: PointerEvent<HTMLSpanElement>) => {
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { x: e.clientX, width: cellWidth(e.currentTarget) };
      }}
      onPointerMove={(e) => {
        if (start.current !== null) onResize(e.clientX - start.current.x, start.current.width);
      }}
      onPointerUp={() => (start.current = null)}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        e.preventDefault();
        const step = e.shiftKey ? 40 : 10;
        onResize(e.key === 'ArrowLeft' ? -step : step, cellWidth(e.currentTarget));
      }}
    />
  );
}
