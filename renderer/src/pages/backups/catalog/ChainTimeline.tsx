import { useId, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { BackupChain } from '../../../../../shared/backup.js';
import { formatCount } from '../../../format/numbers.js';
import { useElementWidth } from '../../../ui/useElementWidth.js';
import { useNow } from '../../../ui/useNow.js';
import { AXIS_LABEL_Y, AXIS_Y, BAR_H, timelineLayout, type Axis, type LaneLayout, type LinkLayout, type TimelineLayout } from './timelineLayout.js';

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

const AXES: ReadonlyArray<readonly [Axis, string]> = [
  ['position', 'By position'],
  ['time', 'By time'],
];

/**
 * The chains of a folder drawn as lanes: x is the log's position (a full archive is a bar from the start,
 * each incremental continues it) or the time archives were made. Gaps are hatched with the missing range,
 * an incomplete chain is labelled, and the stretch of the log no archive holds yet runs up to the head.
 * Every archive is a focusable mark: Enter or a click opens it. Where things go is timelineLayout.ts's.
 */
export function ChainTimeline({ chains, head, selected, onSelect, marker = null, onPickPosition, emphasis }: TimelineProps) {
  const [axis, setAxis] = useState<Axis>('position');
  const [frame, width] = useElementWidth<HTMLDivElement>(900);
  const [hover, setHover] = useState<number | null>(null);
  const now = useNow(60_000);
  const hatch = `hatch-${useId().replace(/:/g, '')}`;
  const layout = timelineLayout({ chains, head, axis, width, now, marker });
  const picking = axis === 'position' && onPickPosition !== undefined;
  const positionAt = (e: MouseEvent<SVGSVGElement>) => layout.positionAt(e.clientX - e.currentTarget.getBoundingClientRect().left);
  // While picking, a click anywhere (an archive's bar included) chooses the position under the pointer.
  const open = (archive: string) => {
    if (!picking) onSelect(archive);
  };

  return (
    <div className="timeline" data-testid="chain-timeline" data-axis={axis}>
      <div className="timeline__bar">
        <span className="timeline__title">Chains</span>
        <AxisChoice value={axis} onChange={setAxis} />
        <span className="toolbar-spacer" />
        <Legend marked={layout.marker !== null} />
      </div>
      <div className="timeline__frame" ref={frame}>
        <svg
          className={`timeline__svg${picking ? ' timeline__svg--pick' : ''}`}
          width={layout.width}
          height={layout.height}
          role="group"
          aria-label={`Backup chains by ${axis}${picking ? ': click to choose a position' : ''}`}
          data-max-position={layout.maxPosition}
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
          <AxisLine layout={layout} />
          {layout.lanes.map((lane) => (
            <Lane key={lane.key} lane={lane} left={layout.left} axis={axis} hatch={hatch} selected={selected} emphasis={emphasis} onOpen={open} />
          ))}
          {layout.marker !== null && (
            <g className="tl-marker" data-testid="timeline-target">
              {layout.marker.cutTo !== null && layout.marker.cutTo > layout.marker.x && <rect className="tl-marker__cut" x={layout.marker.x} y={AXIS_Y} width={layout.marker.cutTo - layout.marker.x} height={layout.lanesBottom - AXIS_Y} />}
              <line x1={layout.marker.x} x2={layout.marker.x} y1={AXIS_Y} y2={layout.lanesBottom + 4} />
              <text x={layout.marker.anchor === 'start' ? layout.marker.x + 4 : layout.marker.x - 4} y={layout.lanesBottom + 14} textAnchor={layout.marker.anchor}>
                {layout.marker.label}
              </text>
            </g>
          )}
          {picking && hover !== null && (
            <g className="tl-hover" aria-hidden="true">
              <line x1={layout.xOf(hover)} x2={layout.xOf(hover)} y1={AXIS_Y} y2={layout.lanesBottom} />
              <text x={layout.xOf(hover) + 4} y={AXIS_Y + 12}>
                #{formatCount(hover)}
              </text>
            </g>
          )}
        </svg>
      </div>
    </div>
  );
}

function AxisChoice({ value, onChange }: { readonly value: Axis; readonly onChange: (axis: Axis) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Timeline axis">
      {AXES.map(([a, label]) => (
        <button key={a} type="button" className={`segmented__item${a === value ? ' segmented__item--on' : ''}`} aria-pressed={a === value} onClick={() => onChange(a)}>
          {label}
        </button>
      ))}
    </div>
  );
}

function AxisLine({ layout }: { readonly layout: TimelineLayout }) {
  return (
    <g className="tl-axis">
      <line x1={layout.left} x2={layout.right} y1={AXIS_Y} y2={AXIS_Y} className="tl-axis__line" />
      {layout.ticks.map((t, i) => (
        <g key={i}>
          <line x1={t.x} x2={t.x} y1={AXIS_Y} y2={layout.height} className="tl-axis__grid" />
          {t.labelled && (
            <text x={t.x} y={AXIS_LABEL_Y} className="tl-axis__label" textAnchor={t.anchor}>
              {t.label}
            </text>
          )}
        </g>
      ))}
      {layout.head !== null && (
        <g className="tl-head">
          <line x1={layout.head.x} x2={layout.head.x} y1={AXIS_Y} y2={layout.height} />
          <text x={layout.head.x - 3} y={AXIS_LABEL_Y} textAnchor="end">
            {layout.head.label}
          </text>
        </g>
      )}
    </g>
  );
}

interface LaneProps {
  readonly lane: LaneLayout;
  /** Where the drawing's content starts (the lane's label). */
  readonly left: number;
  readonly axis: Axis;
  readonly hatch: string;
  readonly selected: string | null;
  readonly emphasis: ReadonlySet<string> | undefined;
  readonly onOpen: (archive: string) => void;
}

function Lane({ lane, left, axis, hatch, selected, emphasis, onOpen }: LaneProps) {
  const { barTop } = lane;
  const midY = barTop + BAR_H / 2;
  const labelY = barTop + BAR_H + 12;
  return (
    <g className="tl-lane" data-testid="timeline-chain" data-complete={lane.chain.complete}>
      <text x={left} y={lane.labelY} className="tl-lane__label">
        <tspan className="tl-lane__name">{lane.name}</tspan>
        <tspan className={lane.problem === null ? 'tl-lane__ok' : 'tl-lane__bad'} dx="8">
          {lane.problem === null ? 'complete' : `INCOMPLETE: ${lane.problem}`}
        </tspan>
        <tspan dx="8" className="tl-lane__meta">
          {lane.meta}
        </tspan>
      </text>
      {lane.gaps.map((g) => (
        <g key={`gap-${g.gap.afterPosition}`} className="tl-gap" data-testid="timeline-gap">
          <title>{g.gap.message}</title>
          <rect x={g.x} y={barTop} width={g.w} height={BAR_H} fill={`url(#${hatch})`} className="tl-gap__rect" />
          <text x={g.labelX} y={labelY} textAnchor="middle" className="tl-gap__label">
            {g.label}
          </text>
        </g>
      ))}
      {lane.uncovered !== null && (
        <g className="tl-uncovered">
          <title>{`${formatCount(lane.uncovered.events)} events after #${formatCount(lane.uncovered.from)} are in no archive yet`}</title>
          <rect x={lane.uncovered.x} y={barTop + 3} width={lane.uncovered.w} height={BAR_H - 6} />
          <text x={lane.uncovered.endX} y={labelY} textAnchor="end">
            {formatCount(lane.uncovered.events)} not backed up
          </text>
        </g>
      )}
      {lane.connectors.map((c) => (
        <g key={c.key} className={c.gap === undefined ? 'tl-connector' : 'tl-connector tl-connector--gap'} data-testid={c.gap === undefined ? undefined : 'timeline-gap'}>
          {c.gap !== undefined && <title>{c.gap.message}</title>}
          <line x1={c.xa} x2={c.xb} y1={midY} y2={midY} />
          {c.label !== null && (
            <text x={c.labelX} y={labelY} textAnchor="middle" className="tl-gap__label">
              {c.label}
            </text>
          )}
        </g>
      ))}
      {lane.links.map((link) => (
        <LinkMark key={link.entry.archive} link={link} axis={axis} barTop={barTop} selected={link.entry.archive === selected} faint={emphasis !== undefined && !emphasis.has(link.entry.archive)} onOpen={onOpen} />
      ))}
    </g>
  );
}

/** One archive: a bar over its positions, or a mark at the time it was made; Enter or a click opens it. */
function LinkMark({ link, axis, barTop, selected, faint, onOpen }: { readonly link: LinkLayout; readonly axis: Axis; readonly barTop: number; readonly selected: boolean; readonly faint: boolean; readonly onOpen: (archive: string) => void }) {
  const { entry, state, x, w } = link;
  const kind = entry.manifest.kind;
  const y = barTop + BAR_H / 2;
  const keyOpen = (e: KeyboardEvent<SVGGElement>) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onOpen(entry.archive);
  };
  return (
    <g
      className={`tl-link tl-link--${kind} tl-link--${state}${selected ? ' tl-link--selected' : ''}${faint ? ' tl-link--faint' : ''}`}
      role="button"
      tabIndex={0}
      aria-label={link.description}
      aria-pressed={selected}
      data-testid="timeline-link"
      data-kind={kind}
      data-state={state}
      onClick={() => onOpen(entry.archive)}
      onKeyDown={keyOpen}
    >
      <title>{link.description}</title>
      {axis === 'position' ? (
        <>
          <rect x={x} y={barTop} width={w} height={BAR_H} rx={2} className="tl-link__bar" />
          <rect x={x + 1} y={barTop + BAR_H - 4} width={Math.max(1, w - 2)} height={3} className="tl-link__state" />
          {link.text !== null && (
            <text x={x + 6} y={barTop + 12} className="tl-link__text">
              {link.text}
            </text>
          )}
        </>
      ) : (
        <>
          {kind === 'full' ? <rect x={x - 6} y={y - 8} width={12} height={16} rx={2} className="tl-link__bar" /> : <circle cx={x} cy={y} r={6} className="tl-link__bar" />}
          <circle cx={x} cy={y + 13} r={2.5} className="tl-link__dot" />
        </>
      )}
    </g>
  );
}

/** The legend's swatches: the target's two only while a target is marked. */
const LEGEND: ReadonlyArray<readonly [swatch: string, label: string, marked: boolean]> = [
  ['target', 'Target', true],
  ['cut', 'Left out', true],
  ['full', 'Full', false],
  ['incremental', 'Incremental', false],
  ['gap', 'Gap', false],
  ['uncovered', 'Not backed up', false],
  ['verified', 'Verified', false],
  ['failed', 'Failed', false],
];

function Legend({ marked }: { readonly marked: boolean }) {
  return (
    <ul className="timeline__legend" aria-label="Legend">
      {LEGEND.filter(([, , forMarker]) => marked || !forMarker).map(([swatch, label]) => (
        <li key={swatch}>
          <span className={`swatch swatch--${swatch}`} /> {label}
        </li>
      ))}
    </ul>
  );
}
