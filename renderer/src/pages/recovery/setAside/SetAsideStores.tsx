import { useState } from 'react';
import type { PreRestoreStore } from '../../../../../shared/recovery.js';
import { roleAllows } from '../../../../../shared/security.js';
import { useApiMutation, useApiQuery } from '../../../api/hooks.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { ConfirmByTyping } from '../../../ui/ConfirmByTyping.js';
import { DataTable, type Column } from '../../../ui/DataTable.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { EmptyState, Panel } from '../../../ui/Panel.js';
import { Skeleton } from '../../../ui/Skeleton.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { baseName } from '../../backups/labels.js';

/**
 * The stores in-place restores set aside (`<store>.pre-restore-<time>`): kept whole until an admin
 * discards them, after typing the folder's name.
 */
export function SetAsideStores() {
  const stores = useApiQuery('recovery.preRestoreStores', {});
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const discard = useApiMutation('recovery.discardPreRestore');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [discarded, setDiscarded] = useState<{ readonly path: string; readonly bytes: number } | null>(null);
  const admin = session.data !== undefined && roleAllows(session.data.principal.role, 'admin');

  const columns: Column<PreRestoreStore>[] = [
    { id: 'path', label: 'Folder', header: 'Folder', mono: true, sortValue: (s) => s.path, cell: (s) => baseName(s.path), title: (s) => s.path },
    { id: 'at', label: 'Set aside', header: 'Set aside', width: 220, sortValue: (s) => s.setAsideAt, cell: (s) => <TimeStamp at={s.setAsideAt} /> },
    { id: 'bytes', label: 'Size', header: 'Size', width: 100, align: 'right', sortValue: (s) => s.bytes, cell: (s) => formatBytes(s.bytes), title: (s) => `${formatCount(s.bytes)} bytes` },
    {
      id: 'action',
      label: 'Discard',
      header: '',
      width: 110,
      cell: (s) => (
        <button
          type="button"
          className="button button--small button--quiet tone-bad"
          disabled={!admin || discard.isPending}
          title={admin ? 'Delete this folder for good' : 'Discarding needs the admin role'}
          onClick={() => setConfirming(s.path)}
          data-testid="discard-set-aside"
        >
          Discard…
        </button>
      ),
    },
  ];

  return (
    <Panel title="Stores set aside by restores" testId="set-aside-stores">
      <p className="muted">
        An in-place restore keeps the store it replaced beside it, whole, until it is discarded here: open it with <code>pconsole stats</code> or <code>pconsole serve</code> to look at what was there.
      </p>
      {discarded !== null && (
        <p className="run-result run-result--ok" data-testid="discarded">
          Discarded <span className="mono">{baseName(discarded.path)}</span> · {formatBytes(discarded.bytes)} freed
        </p>
      )}
      {stores.error !== null ? (
        <ErrorPanel error={stores.error} title="The set-aside stores could not be listed" onRetry={() => void stores.refetch()} />
      ) : stores.data === undefined ? (
        <Skeleton width="50%" />
      ) : stores.data.length === 0 ? (
        <EmptyState title="No stores set aside">An in-place restore keeps the store it replaces here, until you discard it.</EmptyState>
      ) : (
        <DataTable rows={stores.data} columns={columns} rowKey={(s) => s.path} label="Stores set aside" initialSort={{ id: 'at', dir: 'desc' }} rowData={(s) => ({ 'data-path': s.path })} testId="set-aside-table" />
      )}
      {confirming !== null && (
        <ConfirmByTyping
          title="Discard a set-aside store"
          expected={baseName(confirming)}
          what="the folder’s name"
          confirmLabel={discard.isPending ? 'Discarding…' : 'Discard it for good'}
          busy={discard.isPending}
          onCancel={() => setConfirming(null)}
          onConfirm={() =>
            discard.mutate(
              { path: confirming },
              {
                onSuccess: (result) => {
                  setDiscarded({ path: result.discarded, bytes: result.bytes });
                  setConfirming(null);
                },
              },
            )
          }
          testId="confirm-discard"
        >
          <p>
            The folder <span className="mono">{confirming}</span> and everything in it are deleted. The store it held — as it was before a restore — cannot be opened again afterwards.
          </p>
        </ConfirmByTyping>
      )}
      {discard.error !== null && <ErrorPanel error={discard.error} title="The store could not be discarded" />}
    </Panel>
  );
}
