import type { RecoveryReport } from '../../../../../shared/recovery.js';
import { useApiMutation, useApiQuery } from '../../../api/hooks.js';
import { useStoreOpen } from '../../../app/storeState.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { parentDir } from '../../backups/labels.js';

/**
 * After a restore from archives named by path: the folders they were read from, when the restored store's
 * catalog does not list them (its settings came from an archive, or the archives were copied elsewhere),
 * with the offer to add them, so Backups shows the chain and the next backup can continue it.
 */
export function CatalogFromSources({ report }: { readonly report: RecoveryReport }) {
  const open = useStoreOpen();
  const catalog = useApiQuery('backup.catalog', {}, { enabled: open });
  const add = useApiMutation('backup.addFolder');
  if (!open || catalog.data === undefined) return null;
  const listed = new Set(catalog.data.folders.map((f) => f.dir));
  const missing = [...new Set(report.archives.map((a) => parentDir(a.archive)))].filter((dir) => !listed.has(dir));
  if (missing.length === 0) return null;
  const addAll = async () => {
    for (const dir of missing) await add.mutateAsync({ dir });
  };
  return (
    <div className="catalog-from-sources" data-testid="catalog-from-sources">
      <p>
        The restored store’s backup catalog does not list {missing.length === 1 ? 'the folder' : 'the folders'} the archives were read from:{' '}
        {missing.map((dir, i) => (
          <span key={dir}>
            {i > 0 && ', '}
            <span className="mono">{dir}</span>
          </span>
        ))}
        . Add {missing.length === 1 ? 'it' : 'them'} so the Backups page shows these archives and their RPO.
      </p>
      <button type="button" className="button button--small" disabled={add.isPending} onClick={() => void addAll().catch(() => undefined)} data-testid="add-sources-to-catalog">
        {add.isPending ? 'Adding…' : `Add ${missing.length === 1 ? 'the folder' : 'the folders'} to the catalog`}
      </button>
      {add.error !== null && <ErrorPanel error={add.error} title="The folder could not be added" />}
    </div>
  );
}
