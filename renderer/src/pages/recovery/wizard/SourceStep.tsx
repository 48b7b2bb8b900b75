import { useId } from 'react';
import type { RecoverySources } from '../../../../../shared/api/recoveryContract.js';
import { formatCount } from '../../../format/numbers.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { EmptyState } from '../../../ui/Panel.js';
import { Skeleton } from '../../../ui/Skeleton.js';
import { chainProblem } from '../../backups/catalog/archiveState.js';
import { DecryptionKeyField, type KeySource } from '../../backups/form/DecryptionKeyField.js';
import { pageHref } from '../../../app/routes.js';
import { parsePaths, type SourceChoice } from './model.js';

interface SourceStepProps {
  readonly source: SourceChoice;
  readonly onSource: (source: SourceChoice) => void;
  /** Why the catalog could not be used (the store cannot be read): shown while archives are named instead. */
  readonly catalogRefused: string | null;
  readonly found: { readonly data: RecoverySources | undefined; readonly error: Error | null; readonly pending: boolean; readonly retry: () => void };
  /** The key sources the store's encrypted archives can be opened with (none: nothing is encrypted). */
  readonly keySources: readonly KeySource[];
  readonly keySource: KeySource | undefined;
  readonly onKeySource: (source: KeySource) => void;
  readonly secret: string;
  readonly onSecret: (secret: string) => void;
  /** Why the key typed cannot be used (checked as main checks it). */
  readonly keyIssue: string | undefined;
  readonly onNext: () => void;
}

/** Step 1: the catalog, or archives and folders named by path; and the key of encrypted archives. */
export function SourceStep({ source, onSource, catalogRefused, found, keySources, keySource, onKeySource, secret, onSecret, keyIssue, onNext }: SourceStepProps) {
  const id = useId();
  const typed = source.kind === 'paths' ? parsePaths(source.text) : null;
  const data = found.data;
  const restorable = data?.chains.some((c) => c.restorableTo > 0) ?? false;
  return (
    <div className="wizard-step" data-testid="step-source">
      <h2 className="wizard-step__title">Where are the archives?</h2>
      <div className="source-choice" role="radiogroup" aria-label="Source of the archives">
        <label className={`source-choice__option${source.kind === 'catalog' ? ' source-choice__option--on' : ''}`}>
          <input type="radio" name={`${id}-source`} checked={source.kind === 'catalog'} onChange={() => onSource({ kind: 'catalog' })} data-testid="source-catalog" />
          <span>
            <strong>The catalog</strong>
            <span className="muted"> — every backup folder of this store (the schedules’ destinations and the folders added on the Backups page)</span>
          </span>
        </label>
        <label className={`source-choice__option${source.kind === 'paths' ? ' source-choice__option--on' : ''}`}>
          <input type="radio" name={`${id}-source`} checked={source.kind === 'paths'} onChange={() => onSource({ kind: 'paths', text: source.kind === 'paths' ? source.text : '' })} data-testid="source-paths" />
          <span>
            <strong>Files or folders</strong>
            <span className="muted"> — archives copied elsewhere (off-site, another disk), named by path</span>
          </span>
        </label>
      </div>
      {source.kind === 'paths' && catalogRefused !== null && (
        <p className="alert alert--warn source-refused" role="status" data-testid="source-catalog-refused">
          <strong>The catalog cannot be read:</strong> {catalogRefused}.
        </p>
      )}
      {source.kind === 'paths' && (
        <div className="field source-paths">
          <label className="field__label" htmlFor={`${id}-paths`}>
            Absolute paths on the machine running the console, one a line
          </label>
          <textarea
            id={`${id}-paths`}
            className={`input textarea mono${typed !== null && typed.invalid.length > 0 ? ' input--invalid' : ''}`}
            rows={4}
            value={source.text}
            onChange={(e) => onSource({ kind: 'paths', text: e.target.value })}
            placeholder={'/var/backups/pconsole\n/mnt/offsite/store-full-0-120000-20260501T020000Z.tar.gz.age'}
            spellCheck={false}
            autoComplete="off"
            data-testid="source-paths-input"
          />
          {typed !== null && typed.invalid.length > 0 ? (
            <span className="field__error">Not an absolute path: {typed.invalid.join(', ')}</span>
          ) : (
            <span className="field__hint">Archives (.tar.gz or .tar.gz.age), their .manifest.json sidecars, or folders holding them.</span>
          )}
        </div>
      )}

      <div className="source-found" aria-live="polite" data-testid="source-found">
        {found.error !== null ? (
          <ErrorPanel error={found.error} title="The archives could not be read" onRetry={found.retry} />
        ) : data === undefined ? (
          found.pending && (source.kind === 'catalog' || (typed !== null && typed.paths.length > 0 && typed.invalid.length === 0)) ? (
            <Skeleton width="24em" />
          ) : (
            <span className="muted">Name at least one archive or folder.</span>
          )
        ) : data.entries.length === 0 ? (
          <EmptyState
            title={source.kind === 'catalog' ? 'No backups of this store yet — there is nothing to restore from' : 'No archives at these paths'}
            actions={
              <a className="button" href={pageHref('backups')}>
                Open Backups
              </a>
            }
          >
            {source.kind === 'catalog' ? 'Take a full backup (and incrementals after it) on the Backups page, or name archives copied elsewhere.' : 'Check the paths: archives are named <storeId>-<full|incr>-<from>-<to>-<time>.tar.gz[.age].'}
            <Warnings warnings={data.warnings} />
          </EmptyState>
        ) : (
          <FoundSummary data={data} />
        )}
      </div>

      {keySources.length > 0 ? (
        <DecryptionKeyField
          legend="Key for the encrypted archives — kept in this page only, sent with each validation, dry run and restore, never stored"
          sources={keySources}
          source={keySource ?? keySources[0]!}
          onSource={onKeySource}
          secret={secret}
          onSecret={onSecret}
          error={keyIssue}
          testId="recovery-key"
        />
      ) : (
        data !== undefined && data.entries.length > 0 && <p className="muted">These archives are not encrypted: no key is needed.</p>
      )}

      <div className="wizard-step__actions">
        <button type="button" className="button button--primary" disabled={!restorable} onClick={onNext} data-testid="source-next">
          Next: choose the point to restore to
        </button>
        {data !== undefined && data.entries.length > 0 && !restorable && <span className="tone-bad">No chain of this store starts with a full archive: nothing here can be restored.</span>}
      </div>
    </div>
  );
}

function FoundSummary({ data }: { readonly data: RecoverySources }) {
  const mine = data.entries.filter((e) => e.manifest.storeId === data.storeId);
  return (
    <>
      <p className="source-found__line">
        <strong>
          {formatCount(mine.length)} {mine.length === 1 ? 'archive' : 'archives'}
        </strong>{' '}
        of store <span className="mono">{data.storeId}</span> in {formatCount(data.chains.length)} {data.chains.length === 1 ? 'chain' : 'chains'}, read from{' '}
        <span className="mono" title={data.sources.join('\n')}>
          {data.sources.length === 1 ? data.sources[0] : `${formatCount(data.sources.length)} places`}
        </span>
      </p>
      <ul className="chain-list" aria-label="Chains">
        {data.chains.map((c, i) => {
          const problem = chainProblem(c);
          return (
            <li key={c.links[0]?.archive ?? i} className="chain-list__item">
              <span className="chain-list__name">Chain {i + 1}</span>
              <span className={problem === null ? 'tone-ok' : 'tone-bad'}>{problem === null ? 'complete' : `incomplete: ${problem}`}</span>
              <span className="muted">
                {formatCount(c.links.length)} {c.links.length === 1 ? 'archive' : 'archives'}, restorable to #{formatCount(c.restorableTo)}
              </span>
            </li>
          );
        })}
      </ul>
      {data.otherStores.length > 0 && (
        <p className="muted">
          Also found: archives of {data.otherStores.map((s) => `${s.storeId} (${formatCount(s.archives)})`).join(', ')} — another store’s, not used to restore this one.
        </p>
      )}
      <Warnings warnings={data.warnings} />
    </>
  );
}

function Warnings({ warnings }: { readonly warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="warning-list source-found__warnings" data-testid="source-warnings">
      {warnings.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}
