import { useId, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { BackupChain, CatalogEntry, ChainGap } from '../../../../../shared/backup.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { formatAbsolute } from '../../../format/time.js';
import { useElementWidth } from '../../../ui/useElementWidth.js';
import { useNow } from '../../../ui/useNow.js';
import { KIND_LABELS } from '../labels.js';
import { archiveState, chainProblem, positionRange, STATE_LABELS } from './archiveState.js';
import { formatPositionTick, formatTimeTick, positionTicks, timeTicks } from '../scales.js';

type Axis = 'position' | 'time';

const PAD_L = 14;
const PAD_R = 18;
const AXIS_H = 24;
const LANE_H = 58;
const LABEL_Y = 14;
const BAR_Y = 22;
const BAR_H = 18;
const MIN_LINK_W = 4;
/** Room under the lanes for the marker's label. */
const MARKER_H = 18;

interface TimelineProps {
  readonly chains: readonly BackupChain[];
  readonly head: number | undefined;
  readonly selected: string | null;
  readonly onSelect: (archive: string) => void;
  /** A position marked across the lanes (the recovery target), with what follows it up to the head shaded as left out. */
  readonly marker?: { readonly position: number; readonly label: string } | null;
  /** Makes the position view a picker: a click in it chooses the position under the pointer. */
  readonly onPickPosition?: (position: number) => void;
  /** The archives that matter (a restore plan's): the others are drawn faint. */
  readonly emphasis?: ReadonlySet<string>;
}

function describeLink(e: CatalogEntry): string {
  const m = e.manifest;
  return `${KIND_LABELS[m.kind]} archive, positions ${positionRange(e)}, ${formatCount(m.eventCount)} events${e.archiveBytes === null ? '' : `, ${formatBytes(e.archiveBytes)}`}, created ${formatAbsolute(m.createdAt)}: ${STATE_LABELS[archiveState(e)].toLowerCase()}`;
}

/** What fits inside an archive's bar: "Full · 20,000 events", "+4,000", or nothing. */
function barText(e: CatalogEntry, width: number): string | null {
  const events = formatCount(e.manifest.eventCount);
  if (e.manifest.kind === 'full') return width > 60 + 7 * events.length ? `Full · ${events} events` : width > 36 ? 'Full' : null;
  return width > 16 + 7 * events.length ? `+${events}` : null;
}

export function gapLabel(g: ChainGap): string {
  return g.kind === 'diverged' ? `diverged at #${formatCount(g.afterPosition)}` : `missing #${formatCount(g.afterPosition + 1)}–${formatCount(g.untilPosition)}`;
}

/** The gap between link i-1 and link i of a chain, if any. */
function gapBefore(chain: BackupChain, i: number): ChainGap | undefined {
  const previous = chain.links[i - 1];
  if (previous === undefined) return undefined;
  return chain.gaps.find((g) => g.afterPosition === previous.manifest.toPosition);
}

/**
 * The chains of a folder drawn as lanes: x is the log's position (a full archive is a bar from the start,
 * each incremental continues it) or the time archives were made. Gaps are hatched with the missing range,
 * an incomplete chain is labelled, and the stretch of the log no archive holds yet runs up to the head.
 * Every archive is a focusable mark: Enter or a click opens it.
 */
export function ChainTimeline({ chains, head, selected, onSelect, marker = null, onPickPosition, emphasis }: TimelineProps) {
  const [axis, setAxis] = useState<Axis>('position');
  const [frame, width] = useElementWidth<HTMLDivElement>(900);
  const [hover, setHover] = useState<number | null>(null);
  const now = useNow(60_000);
  const hatch = `hatch-${useId().replace(/:/g, '')}`;
  const innerW = Math.max(100, width - PAD_L - PAD_R);
  const marked = axis === 'position' && marker !== null;
  const lanesBottom = AXIS_H + chains.length * LANE_H;
  const height = lanesBottom + 4 + (marked ? MARKER_H : 0);
  const picking = axis === 'position' && onPickPosition !== undefined;

  const entries = chains.flatMap((c) => c.links);
  const maxPosition = Math.max(1, head ?? 0, ...chains.map((c) => c.toPosition));
  const times = entries.map((e) => Date.parse(e.manifest.createdAt));
  // Time runs up to now (at the right, like the head in the other view); at least ten minutes are shown.
  const tEnd = Math.max(...times, now);
  const span = Math.max(tEnd - Math.min(...times, tEnd), 10 * 60_000);
  const t1 = tEnd + span * 0.03;
  const t0 = t1 - span * 1.07;

  const xPos = (p: number) => PAD_L + (p / maxPosition) * innerW;
  const xTime = (t: number) => PAD_L + ((t - t0) / (t1 - t0)) * innerW;
  const newestChain = [...chains].sort((a, b) => b.toPosition - a.toPosition)[0];
  /** A centred label's x, kept inside the drawing. */
  const labelX = (x: number) => Math.min(Math.max(x, PAD_L + 70), PAD_L + innerW - 70);

  const keyOpen = (e: KeyboardEvent<SVGGElement>, archive: string) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onSelect(archive);
  };
  /** The position under the pointer, within 1 … the axis' end. */
  const positionAt = (e: MouseEvent<SVGSVGElement>) => {
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
    return Math.min(maxPosition, Math.max(1, Math.round(((x - PAD_L) / innerW) * maxPosition)));
  };
  // While picking, a click anywhere (an archive's bar included) chooses the position under the pointer.
  const clickLink = (archive: string) => {
    if (!picking) onSelect(archive);
  };

  const ticks =
    axis === 'position'
      ? positionTicks(maxPosition).map((p) => ({ x: xPos(p), label: formatPositionTick(p) }))
      : (() => {
          const { ticks: ts, step } = timeTicks(t0, t1);
          return ts.map((t) => ({ x: xTime(t), label: formatTimeTick(t, step) }));
        })();

  // The head (or "now") label sits left of its line: tick labels under it are left out.
  const markerX = axis === 'position' ? (head === undefined ? undefined : xPos(head)) : xTime(now);
  const markerW = axis === 'position' ? 8 + 6.2 * `head #${formatCount(head ?? 0)}`.length : 30;
  const labelled = (x: number) => markerX === undefined || x < markerX - markerW - 16 || x > markerX + 16;

  return (
    <div className="timeline" data-testid="chain-timeline" data-axis={axis}>
      <div className="timeline__bar">
        <span className="timeline__title">Chains</span>
        <div className="segmented" role="group" aria-label="Timeline axis">
          {(['position', 'time'] as const).map((a) => (
            <button key={a} type="button" className={`segmented__item${a === axis ? ' segmented__item--on' : ''}`} aria-pressed={a === axis} onClick={() => setAxis(a)}>
              {a === 'position' ? 'By position' : 'By time'}
            </button>
          ))}
        </div>
        <span className="toolbar-spacer" />
        <Legend marked={marked} />
      </div>
      <div className="timeline__frame" ref={frame}>
        <svg
          className={`timeline__svg${picking ? ' timeline__svg--pick' : ''}`}
          width={width}
          height={height}
          role="group"
          aria-label={`Backup chains by ${axis}${picking ? ': click to choose a position' : ''}`}
          data-max-position={maxPosition}
          onClick={picking ? (e) => onPickPosition(positionAt(e)) : undefined}
          onMouseMove={picking ? (e) => setHover(positionAt(e)) : undefined}
          onMouseLeave={picking ? () => setHover(null) : undefined}
        >
          <defs>
            <pattern id={hatch} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" className="tl-gap__bg" />
              <line x1="0" y1="0" x2="0" y2="6" className="tl-gap__line" />
            </pattern>
          </defs>
          <g className="tl-axis">
            <line x1={PAD_L} x2={PAD_L + innerW} y1={AXIS_H - 4} y2={AXIS_H - 4} className="tl-axis__line" />
            {ticks.map((t, i) => (
              <g key={i}>
                <line x1={t.x} x2={t.x} y1={AXIS_H - 4} y2={height} className="tl-axis__grid" />
                {labelled(t.x) && (
                  <text x={t.x} y={AXIS_H - 9} className="tl-axis__label" textAnchor={i === 0 && axis === 'position' ? 'start' : 'middle'}>
                    {t.label}
                  </text>
                )}
              </g>
            ))}
            {axis === 'position' && head !== undefined && (
              <g className="tl-head">
                <line x1={xPos(head)} x2={xPos(head)} y1={AXIS_H - 4} y2={height} />
                <text x={xPos(head) - 3} y={AXIS_H - 9} textAnchor="end">
                  head #{formatCount(head)}
                </text>
              </g>
            )}
            {axis === 'time' && (
              <g className="tl-head">
                <line x1={xTime(now)} x2={xTime(now)} y1={AXIS_H - 4} y2={height} />
                <text x={xTime(now) - 3} y={AXIS_H - 9} textAnchor="end">
                  now
                </text>
              </g>
            )}
          </g>
          {chains.map((chain, lane) => {
            const top = AXIS_H + lane * LANE_H;
            const problem = chainProblem(chain);
            const barTop = top + BAR_Y;
            const uncovered = axis === 'position' && chain === newestChain && head !== undefined && head > chain.toPosition ? head - chain.toPosition : 0;
            return (
              <g key={chain.links[0]?.archive ?? lane} className="tl-lane" data-testid="timeline-chain" data-complete={chain.complete}>
                <text x={PAD_L} y={top + LABEL_Y} className="tl-lane__label">
                  <tspan className="tl-lane__name">Chain {lane + 1}</tspan>
                  <tspan className={problem === null ? 'tl-lane__ok' : 'tl-lane__bad'} dx="8">
                    {problem === null ? 'complete' : `INCOMPLETE: ${problem}`}
                  </tspan>
                  <tspan dx="8" className="tl-lane__meta">
                    {formatCount(chain.links.length)} {chain.links.length === 1 ? 'archive' : 'archives'} · restorable to #{formatCount(chain.restorableTo)}
                  </tspan>
                </text>
                {axis === 'position' ? (
                  <>
                    {chain.gaps.map((g) => {
                      const x1 = xPos(g.afterPosition);
                      const w = Math.max(MIN_LINK_W, xPos(g.untilPosition) - x1);
                      return (
                        <g key={`gap-${g.afterPosition}`} className="tl-gap" data-testid="timeline-gap">
                          <title>{g.message}</title>
                          <rect x={x1} y={barTop} width={w} height={BAR_H} fill={`url(#${hatch})`} className="tl-gap__rect" />
                          <text x={labelX(x1 + w / 2)} y={barTop + BAR_H + 12} textAnchor="middle" className="tl-gap__label">
                            {gapLabel(g)}
                          </text>
                        </g>
                      );
                    })}
                    {uncovered > 0 && (
                      <g className="tl-uncovered">
                        <title>{`${formatCount(uncovered)} events after #${formatCount(chain.toPosition)} are in no archive yet`}</title>
                        <rect x={xPos(chain.toPosition)} y={barTop + 3} width={Math.max(2, xPos(head!) - xPos(chain.toPosition))} height={BAR_H - 6} />
                        <text x={xPos(head!)} y={barTop + BAR_H + 12} textAnchor="end">
                          {formatCount(uncovered)} not backed up
                        </text>
                      </g>
                    )}
                    {chain.links.map((e) => {
                      const x1 = xPos(e.manifest.fromPosition);
                      const w = Math.max(MIN_LINK_W, xPos(e.manifest.toPosition) - x1);
                      const state = archiveState(e);
                      return (
                        <g
                          key={e.archive}
                          className={`tl-link tl-link--${e.manifest.kind} tl-link--${state}${e.archive === selected ? ' tl-link--selected' : ''}${emphasis !== undefined && !emphasis.has(e.archive) ? ' tl-link--faint' : ''}`}
                          role="button"
                          tabIndex={0}
                          aria-label={describeLink(e)}
                          aria-pressed={e.archive === selected}
                          data-testid="timeline-link"
                          data-kind={e.manifest.kind}
                          data-state={state}
                          onClick={() => clickLink(e.archive)}
                          onKeyDown={(ev) => keyOpen(ev, e.archive)}
                        >
                          <title>{describeLink(e)}</title>
                          <rect x={x1} y={barTop} width={w} height={BAR_H} rx={2} className="tl-link__bar" />
                          <rect x={x1 + 1} y={barTop + BAR_H - 4} width={Math.max(1, w - 2)} height={3} className="tl-link__state" />
                          {barText(e, w) !== null && (
                            <text x={x1 + 6} y={barTop + 12} className="tl-link__text">
                              {barText(e, w)}
                            </text>
                          )}
                        </g>
                      );
                    })}
                  </>
                ) : (
                  <>
                    {chain.links.map((e, i) => {
                      const previous = chain.links[i - 1];
                      if (previous === undefined) return null;
                      const gap = gapBefore(chain, i);
                      const xa = xTime(Date.parse(previous.manifest.createdAt));
                      const xb = xTime(Date.parse(e.manifest.createdAt));
                      const y = barTop + BAR_H / 2;
                      return (
                        <g key={`c-${e.archive}`} className={gap === undefined ? 'tl-connector' : 'tl-connector tl-connector--gap'} data-testid={gap === undefined ? undefined : 'timeline-gap'}>
                          {gap !== undefined && <title>{gap.message}</title>}
                          <line x1={xa} x2={xb} y1={y} y2={y} />
                          {gap !== undefined && (
                            <text x={labelX((xa + xb) / 2)} y={barTop + BAR_H + 12} textAnchor="middle" className="tl-gap__label">
                              {gapLabel(gap)}
                            </text>
                          )}
                        </g>
                      );
                    })}
                    {chain.links.map((e) => {
                      const x = xTime(Date.parse(e.manifest.createdAt));
                      const y = barTop + BAR_H / 2;
                      const state = archiveState(e);
                      return (
                        <g
                          key={e.archive}
                          className={`tl-link tl-link--${e.manifest.kind} tl-link--${state}${e.archive === selected ? ' tl-link--selected' : ''}${emphasis !== undefined && !emphasis.has(e.archive) ? ' tl-link--faint' : ''}`}
                          role="button"
                          tabIndex={0}
                          aria-label={describeLink(e)}
                          aria-pressed={e.archive === selected}
                          data-testid="timeline-link"
                          data-kind={e.manifest.kind}
                          data-state={state}
                          onClick={() => onSelect(e.archive)}
                          onKeyDown={(ev) => keyOpen(ev, e.archive)}
                        >
                          <title>{describeLink(e)}</title>
                          {e.manifest.kind === 'full' ? <rect x={x - 6} y={y - 8} width={12} height={16} rx={2} className="tl-link__bar" /> : <circle cx={x} cy={y} r={6} className="tl-link__bar" />}
                          <circle cx={x} cy={y + 13} r={2.5} className="tl-link__dot" />
                        </g>
                      );
                    })}
                  </>
                )}
              </g>
            );
          })}
          {marked && <TargetMarker x={xPos(marker.position)} endX={head === undefined || head <= marker.position ? null : xPos(head)} top={AXIS_H - 4} bottom={lanesBottom} label={marker.label} innerRight={PAD_L + innerW} />}
          {picking && hover !== null && (
            <g className="tl-hover" aria-hidden="true">
              <line x1={xPos(hover)} x2={xPos(hover)} y1={AXIS_H - 4} y2={lanesBottom} />
              <text x={xPos(hover) + 4} y={AXIS_H + 8}>
                #{formatCount(hover)}
              </text>
            </g>
          )}
        </svg>
      </div>
    </div>
  );
}

/** The chosen position: a line across the lanes, its label under them, and what follows it up to the head shaded. */
function TargetMarker({ x, endX, top, bottom, label, innerRight }: { readonly x: number; readonly endX: number | null; readonly top: number; readonly bottom: number; readonly label: string; readonly innerRight: number }) {
  const anchor = x > innerRight - 160 ? 'end' : 'start';
  return (
    <g className="tl-marker" data-testid="timeline-target">
      {endX !== null && endX > x && <rect className="tl-marker__cut" x={x} y={top} width={endX - x} height={bottom - top} />}
      <line x1={x} x2={x} y1={top} y2={bottom + 4} />
      <text x={anchor === 'start' ? x + 4 : x - 4} y={bottom + 14} textAnchor={anchor}>
        {label}
      </text>
    </g>
  );
}

function Legend({ marked }: { readonly marked: boolean }) {
  return (
    <ul className="timeline__legend" aria-label="Legend">
      {marked && (
        <>
          <li>
            <span className="swatch swatch--target" /> Target
          </li>
          <li>
            <span className="swatch swatch--cut" /> Left out
          </li>
        </>
      )}
      <li>
        <span className="swatch swatch--full" /> Full
      </li>
      <li>
        <span className="swatch swatch--incremental" /> Incremental
      </li>
      <li>
        <span className="swatch swatch--gap" /> Gap
      </li>
      <li>
        <span className="swatch swatch--uncovered" /> Not backed up
      </li>
      <li>
        <span className="swatch swatch--verified" /> Verified
      </li>
      <li>
        <span className="swatch swatch--failed" /> Failed
      </li>
    </ul>
  );
}
