import type { RecoveryReport } from '../../../../../shared/recovery.js';
import { pageHref } from '../../../app/routes.js';
import { baseName } from '../../backups/labels.js';
import { RecoveryReportView } from '../report/RecoveryReportView.js';
import { CatalogFromSources } from './CatalogFromSources.js';

/** Step 7: the restored store's report; after a restore of a store that could not be opened, that it opens again. */
export function ReportStep({ restored, storeName, restoredUnopenable, storeOpen, onRestart }: { readonly restored: RecoveryReport; readonly storeName: string; readonly restoredUnopenable: boolean; readonly storeOpen: boolean; readonly onRestart: () => void }) {
  return (
    <div className="wizard-step" data-testid="step-report">
      <h2 className="wizard-step__title">The store is restored and verified</h2>
      {restoredUnopenable && (
        <p className="store-reopened" role="status" data-testid="store-reopened">
          {storeOpen ? 'The store opens again: every page reads the restored store.' : 'The restored store is being opened…'} The damaged one is kept as{' '}
          <span className="mono">{restored.previousStore === null ? `${storeName}.pre-restore-<time>` : baseName(restored.previousStore)}</span> (Set-aside stores).
        </p>
      )}
      <CatalogFromSources report={restored} />
      <RecoveryReportView report={restored} storeName={storeName} />
      <div className="wizard-step__actions">
        <a className="button" href={pageHref('streams')}>
          Open Streams
        </a>
        <button type="button" className="button button--quiet" onClick={onRestart} data-testid="wizard-restart">
          Start another recovery
        </button>
      </div>
    </div>
  );
}
