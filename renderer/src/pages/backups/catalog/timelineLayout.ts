import type { BackupChain, CatalogEntry, ChainGap } from '../../../../../shared/backup.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { formatAbsolute } from '../../../format/time.js';
import { KIND_LABELS } from '../labels.js';
import { formatPositionTick, formatTimeTick, positionTicks, timeTicks } from '../scales.js';
import { archiveState, chainProblem, positionRange, STATE_LABELS, type ArchiveState } from './archiveState.js';

/**
 * The chain timeline's layout (pure): where each chain's lane, archive, gap, tick, the head and the target
 * marker go, in SVG pixels, for a drawing `width` wide. ChainTimeline.tsx only draws what this says.
 */

export type Axis = 'position' | 'time';

const PAD_L = 14;
const PAD_R = 18;
const AXIS_H = 24;
const LANE_H = 58;
const LABEL_Y = 14;
const BAR_Y = 22;
export const BAR_H = 18;
const MIN_LINK_W = 4;
/** Room under the lanes for the marker's label. */
const MARKER_H = 18;
/** The axis line, where ticks, the head line and the marker start. */
export const AXIS_Y = AXIS_H - 4;
/** Labels of ticks and of the head sit this far above the axis line. */
export const AXIS_LABEL_Y = AXIS_H - 9;

export interface TimelineInput {
  readonly chains: readonly BackupChain[];
  readonly head: number | undefined;
  readonly axis: Axis;
  /** The drawing's width in pixels. */
  readonly width: number;
  /** The current time (ms), the right end of the time axis. */
  readonly now: number;
  readonly marker: { readonly position: number; readonly label: string } | null;
}

export interface TickLayout {
  readonly x: number;
  readonly label: string;
  readonly anchor: 'start' | 'middle';
  /** False when the head's label sits over it. */
  readonly labelled: boolean;
}

export interface LinkLayout {
  readonly entry: CatalogEntry;
  readonly state: ArchiveState;
  readonly description: string;
  /** Position axis: a bar from `x`, `w` wide, with `text` inside when it fits. Time axis: a mark centred on `x`. */
  readonly x: number;
  readonly w: number;
  readonly text: string | null;
}

export interface GapLayout {
  readonly gap: ChainGap;
  readonly x: number;
  readonly w: number;
  readonly label: string;
  readonly labelX: number;
}

/** Time axis: the line from one archive to the next of its chain, hatched with the gap's label when there is one. */
export interface ConnectorLayout {
  readonly key: string;
  readonly xa: number;
  readonly xb: number;
  readonly gap: ChainGap | undefined;
  readonly label: string | null;
  readonly labelX: number;
}

export interface LaneLayout {
  readonly chain: BackupChain;
  readonly key: string;
  readonly name: string;
  /** Why the chain cannot restore everything it holds; null when it is complete. */
  readonly problem: string | null;
  readonly meta: string;
  readonly top: number;
  readonly labelY: number;
  readonly barTop: number;
  readonly links: readonly LinkLayout[];
  /** Position axis only. */
  readonly gaps: readonly GapLayout[];
  /** Time axis only. */
  readonly connectors: readonly ConnectorLayout[];
  /** Position axis, newest chain: the stretch up to the head that no archive holds yet. */
  readonly uncovered: { readonly x: number; readonly w: number; readonly endX: number; readonly events: number; readonly from: number } | null;
}

export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly lanesBottom: number;
  readonly maxPosition: number;
  readonly ticks: readonly TickLayout[];
  /** The head (position axis) or now (time axis): a line with its label left of it. */
  readonly head: { readonly x: number; readonly label: string } | null;
  readonly lanes: readonly LaneLayout[];
  /** The chosen position (position axis): a line across the lanes, what follows it up to the head shaded. */
  readonly marker: { readonly x: number; readonly cutTo: number | null; readonly label: string; readonly anchor: 'start' | 'end' } | null;
  /** The x of a position (position axis). */
  readonly xOf: (position: number) => number;
  /** The position under an x, within 1 … the axis' end (position axis). */
  readonly positionAt: (x: number) => number;
}

export function gapLabel(g: ChainGap): string {
  return g.kind === 'diverged' ? `diverged at #${formatCount(g.afterPosition)}` : `missing #${formatCount(g.afterPosition + 1)}–${formatCount(g.untilPosition)}`;
}

export function describeLink(e: CatalogEntry): string {
  const m = e.manifest;
  return `${KIND_LABELS[m.kind]} archive, positions ${positionRange(e)}, ${formatCount(m.eventCount)} events${e.archiveBytes === null ? '' : `, ${formatBytes(e.archiveBytes)}`}, created ${formatAbsolute(m.createdAt)}: ${STATE_LABELS[archiveState(e)].toLowerCase()}`;
}

/** What fits inside an archive's bar: "Full · 20,000 events", "+4,000", or nothing. */
export function barText(e: CatalogEntry, width: number): string | null {
  const events = formatCount(e.manifest.eventCount);
  if (e.manifest.kind === 'full') return width > 60 + 7 * events.length ? `Full · ${events} events` : width > 36 ? 'Full' : null;
  return width > 16 + 7 * events.length ? `+${events}` : null;
}

/** The gap between link i-1 and link i of a chain, if any. */
function gapBefore(chain: BackupChain, i: number): ChainGap | undefined {
  const previous = chain.links[i - 1];
  if (previous === undefined) return undefined;
  return chain.gaps.find((g) => g.afterPosition === previous.manifest.toPosition);
}

export function timelineLayout({ chains, head, axis, width, now, marker }: TimelineInput): TimelineLayout {
  const innerW = Math.max(100, width - PAD_L - PAD_R);
  const left = PAD_L;
  const right = PAD_L + innerW;
  const marked = axis === 'position' && marker !== null;
  const lanesBottom = AXIS_H + chains.length * LANE_H;
  const height = lanesBottom + 4 + (marked ? MARKER_H : 0);

  const entries = chains.flatMap((c) => c.links);
  const maxPosition = Math.max(1, head ?? 0, ...chains.map((c) => c.toPosition));
  const times = entries.map((e) => Date.parse(e.manifest.createdAt));
  // Time runs up to now (at the right, like the head in the other view); at least ten minutes are shown.
  const tEnd = Math.max(...times, now);
  const span = Math.max(tEnd - Math.min(...times, tEnd), 10 * 60_000);
  const t1 = tEnd + span * 0.03;
  const t0 = t1 - span * 1.07;
  const xOf = (p: number) => left + (p / maxPosition) * innerW;
  const xTime = (t: number) => left + ((t - t0) / (t1 - t0)) * innerW;
  /** A centred label's x, kept inside the drawing. */
  const labelX = (x: number) => Math.min(Math.max(x, left + 70), right - 70);

  const headLine = axis === 'position' ? (head === undefined ? null : { x: xOf(head), label: `head #${formatCount(head)}` }) : { x: xTime(now), label: 'now' };
  // The head (or "now") label sits left of its line: tick labels under it are left out.
  const headW = axis === 'position' ? 8 + 6.2 * `head #${formatCount(head ?? 0)}`.length : 30;
  const labelled = (x: number) => headLine === null || x < headLine.x - headW - 16 || x > headLine.x + 16;
  const rawTicks =
    axis === 'position'
      ? positionTicks(maxPosition).map((p) => ({ x: xOf(p), label: formatPositionTick(p) }))
      : (() => {
          const { ticks, step } = timeTicks(t0, t1);
          return ticks.map((t) => ({ x: xTime(t), label: formatTimeTick(t, step) }));
        })();
  const ticks = rawTicks.map((t, i): TickLayout => ({ ...t, anchor: i === 0 && axis === 'position' ? 'start' : 'middle', labelled: labelled(t.x) }));

  const newestChain = [...chains].sort((a, b) => b.toPosition - a.toPosition)[0];
  const lanes = chains.map((chain, lane): LaneLayout => {
    const top = AXIS_H + lane * LANE_H;
    const barTop = top + BAR_Y;
    const links = chain.links.map((entry): LinkLayout => {
      const common = { entry, state: archiveState(entry), description: describeLink(entry) };
      if (axis === 'time') return { ...common, x: xTime(Date.parse(entry.manifest.createdAt)), w: 0, text: null };
      const x = xOf(entry.manifest.fromPosition);
      const w = Math.max(MIN_LINK_W, xOf(entry.manifest.toPosition) - x);
      return { ...common, x, w, text: barText(entry, w) };
    });
    const gaps =
      axis === 'position'
        ? chain.gaps.map((gap): GapLayout => {
            const x = xOf(gap.afterPosition);
            const w = Math.max(MIN_LINK_W, xOf(gap.untilPosition) - x);
            return { gap, x, w, label: gapLabel(gap), labelX: labelX(x + w / 2) };
          })
        : [];
    const connectors =
      axis === 'time'
        ? chain.links.flatMap((e, i): ConnectorLayout[] => {
            const previous = links[i - 1];
            if (previous === undefined) return [];
            const gap = gapBefore(chain, i);
            const xb = links[i]!.x;
            return [{ key: `c-${e.archive}`, xa: previous.x, xb, gap, label: gap === undefined ? null : gapLabel(gap), labelX: labelX((previous.x + xb) / 2) }];
          })
        : [];
    const events = axis === 'position' && chain === newestChain && head !== undefined && head > chain.toPosition ? head - chain.toPosition : 0;
    const problem = chainProblem(chain);
    return {
      chain,
      key: chain.links[0]?.archive ?? String(lane),
      name: `Chain ${lane + 1}`,
      problem,
      meta: `${formatCount(chain.links.length)} ${chain.links.length === 1 ? 'archive' : 'archives'} · restorable to #${formatCount(chain.restorableTo)}`,
      top,
      labelY: top + LABEL_Y,
      barTop,
      links,
      gaps,
      connectors,
      uncovered: events > 0 ? { x: xOf(chain.toPosition), w: Math.max(2, xOf(head!) - xOf(chain.toPosition)), endX: xOf(head!), events, from: chain.toPosition } : null,
    };
  });

  const markerX = marked ? xOf(marker.position) : 0;
  return {
    width,
    height,
    left,
    right,
    lanesBottom,
    maxPosition,
    ticks,
    head: headLine,
    lanes,
    marker: marked ? { x: markerX, cutTo: head === undefined || head <= marker.position ? null : xOf(head), label: marker.label, anchor: markerX > right - 160 ? 'end' : 'start' } : null,
    xOf,
    positionAt: (x) => Math.min(maxPosition, Math.max(1, Math.round(((x - left) / innerW) * maxPosition))),
  };
}
