import { useMemo, useState, type ReactNode } from 'react';
import { copyText } from './copy.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Containers at a depth below this start unfolded. */
const DEFAULT_DEPTH = 2;

interface Walk {
  /** Paths of every object or array (the root is ""). */
  readonly containers: string[];
  /** Paths of containers that hold a match (to unfold), and of the matching entries themselves. */
  readonly matchAncestors: Set<string>;
  readonly matches: number;
}

function isContainer(value: unknown): value is Json[] | Record<string, Json> {
  return typeof value === 'object' && value !== null;
}

function entriesOf(value: Json[] | Record<string, Json>): Array<[string, Json]> {
  return Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
}

/** A child's path, JSON-pointer style (so keys holding "/" stay distinct). */
function childPath(path: string, key: string): string {
  return `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function walk(value: Json, needle: string): Walk {
  const containers: string[] = [];
  const matchAncestors = new Set<string>();
  let matches = 0;
  const visit = (v: Json, path: string, ancestors: string[]) => {
    if (!isContainer(v)) return;
    containers.push(path);
    for (const [key, child] of entriesOf(v)) {
            const keyHit = needle !== '' && !Array.isArray(v) && key.toLowerCase().includes(needle);
      const valueHit = needle !== '' && !isContainer(child) && String(child).toLowerCase().includes(needle);
      if (keyHit || valueHit) {
        matches += (keyHit ? 1 : 0) + (valueHit ? 1 : 0);
        for (const a of [...ancestors, path]) matchAncestors.add(a);
      }
      visit(child, childPath(path, key), [...ancestors, path]);
    }
  };
  visit(value, '', []);
  return { containers, matchAncestors, matches };
}

function initiallyOpen(containers: readonly string[], depth: number): Set<string> {
  return new Set(containers.filter((p) => (p === '' ? 0 : p.split('/').length - 1) < depth));
}

/**
 * JSON as a foldable tree: unfolded to a sensible depth, with unfold-all / fold-all, copy, and a search
 * that highlights matches and unfolds the branches that hold them.
 */
export function JsonView({ value, label }: { readonly value: unknown; readonly label: string }) {
  const json = value as Json;
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const structure = useMemo(() => walk(json, needle), [json, needle]);
  const [open, setOpen] = useState<Set<string>>(() => initiallyOpen(walk(json, '').containers, DEFAULT_DEPTH));
  const [copied, setCopied] = useState(false);

  const isOpen = (path: string) => open.has(path) || structure.matchAncestors.has(path);
  const toggle = (path: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  return (
    <div className="json-view" data-testid={`json-${label}`}>
      <div className="json-view__toolbar">
        <input
          className="input input--small json-view__search"
          type="search"
          placeholder={`Search ${label}`}
          aria-label={`Search in ${label}`}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {needle !== '' && <span className="json-view__count">{structure.matches === 1 ? '1 match' : `${structure.matches} matches`}</span>}
        <span className="toolbar-spacer" />
        <button type="button" className="button button--small button--quiet" onClick={() => setOpen(new Set(structure.containers))}>
          Unfold all
        </button>
        <button type="button" className="button button--small button--quiet" onClick={() => setOpen(new Set())}>
          Fold all
        </button>
        <button
          type="button"
          className="button button--small button--quiet"
          onClick={() => {
            void copyText(JSON.stringify(value, null, 2)).then(setCopied);
            window.setTimeout(() => setCopied(false), 1200);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <div className="json-view__tree" role="tree" aria-label={label}>
        <JsonNode value={json} path="" name={null} isOpen={isOpen} toggle={toggle} needle={needle} last />
      </div>
    </div>
  );
}

interface NodeProps {
  readonly value: Json;
  readonly path: string;
  readonly name: string | null;
  readonly isOpen: (path: string) => boolean;
  readonly toggle: (path: string) => void;
  readonly needle: string;
  readonly last: boolean;
}

function highlight(text: string, needle: string): ReactNode {
  if (needle === '') return text;
  const lower = text.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  let at = lower.indexOf(needle);
  while (at !== -1) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
    at = lower.indexOf(needle, from);
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(from));
  return parts;
}

function Primitive({ value, needle }: { readonly value: Exclude<Json, Json[] | Record<string, Json>>; readonly needle: string }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">"{highlight(value, needle)}"</span>;
  if (typeof value === 'number') return <span className="json-number">{highlight(String(value), needle)}</span>;
  return <span className="json-boolean">{highlight(String(value), needle)}</span>;
}

function JsonNode({ value, path, name, isOpen, toggle, needle, last }: NodeProps) {
  const comma = last ? '' : ',';
  const key =
    name === null ? null : (
      <>
        <span className="json-key">"{highlight(name, needle)}"</span>
        <span className="json-punct">: </span>
      </>
    );
  if (!isContainer(value)) {
    return (
      <div className="json-line" role="treeitem" aria-selected={false}>
        {key}
        <Primitive value={value} needle={needle} />
        <span className="json-punct">{comma}</span>
      </div>
    );
  }
  const array = Array.isArray(value);
  const entries = entriesOf(value);
  const [openBrace, closeBrace] = array ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0)
    return (
      <div className="json-line" role="treeitem" aria-selected={false}>
        {key}
        <span className="json-punct">
          {openBrace}
          {closeBrace}
          {comma}
        </span>
      </div>
    );
  const expanded = isOpen(path);
  const summary = array ? `${entries.length} ${entries.length === 1 ? 'item' : 'items'}` : `${entries.length} ${entries.length === 1 ? 'key' : 'keys'}`;
  return (
    <div className="json-node" role="treeitem" aria-expanded={expanded} aria-selected={false}>
      <div className="json-line">
        <button type="button" className="json-toggle" aria-label={expanded ? 'Fold' : 'Unfold'} onClick={() => toggle(path)}>
          {expanded ? '▾' : '▸'}
        </button>
        {key}
        <span className="json-punct">{openBrace}</span>
        {!expanded && (
          <>
            <button type="button" className="json-folded" onClick={() => toggle(path)}>
              … {summary}
            </button>
            <span className="json-punct">
              {closeBrace}
              {comma}
            </span>
          </>
        )}
      </div>
      {expanded && (
        <>
          <div className="json-children" role="group">
            {entries.map(([k, v], i) => (
              <JsonNode key={k} value={v} path={childPath(path, k)} name={array ? null : k} isOpen={isOpen} toggle={toggle} needle={needle} last={i === entries.length - 1} />
            ))}
          </div>
          <div className="json-line json-line--close">
            <span className="json-punct">
              {closeBrace}
              {comma}
            </span>
          </div>
        </>
      )}
    </div>
  );
}
