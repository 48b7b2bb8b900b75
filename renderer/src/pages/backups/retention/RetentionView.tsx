import { useId, useState } from 'react';
import type { BackupCatalog } from '../../../../../shared/api/backupTypes.js';
import type { OutputOf } from '../../../../../shared/api/contract.js';
import { useInputForm } from '../../../api/useInputForm.js';
import { formatCount } from '../../../format/numbers.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { FieldNote, FormIssues } from '../../../ui/FormField.js';
import { EmptyState, Panel } from '../../../ui/Panel.js';
import { useSchedules } from '../data.js';
import { RetentionFields } from './RetentionFields.js';
import { RetentionPlanView } from './RetentionPlanView.js';
import { retentionIssue, retentionIssueFields, retentionOf, retentionTextOf, type RetentionText } from './retentionPolicy.js';

const PRUNE_ISSUES = { under: [], fields: ['dir', ...retentionIssueFields('policy')] };

/** Retention: what a policy would keep and prune in a folder and why (a dry run), then applying it. */
export function RetentionView({ catalog }: { readonly catalog: BackupCatalog | undefined }) {
  const id = useId();
  const schedules = useSchedules();
  const folders = catalog?.folders.map((f) => f.dir) ?? [];
  const [dir, setDir] = useState<string>('');
  const folder = dir === '' ? (folders[0] ?? '') : dir;
  const fromSchedule = schedules.data?.schedules.find((s) => s.destination === folder && s.retention !== null)?.retention;
  const [typed, setTyped] = useState<RetentionText | null>(null);
  const fields = typed ?? retentionTextOf(fromSchedule);
  const policy = retentionOf(fields);
  // No rule set: nothing to preview (the button says so); the empty policy stands in for the check.
  const preview = useInputForm('backup.prune', { dir: folder, policy: policy ?? {}, dryRun: true }, PRUNE_ISSUES);
  const [applied, setApplied] = useState<OutputOf<'backup.prune'> | null>(null);

  if (catalog === undefined) return null;
  if (folders.length === 0)
    return (
      <Panel title="Retention">
        <EmptyState title="No backup folder yet">
          <p>Retention keeps the newest archives (keep last N) and the newest of each day, week and month, and never prunes an archive a kept archive’s restore chain needs.</p>
        </EmptyState>
      </Panel>
    );

  const variables = preview.mutation.variables;
  const plan = preview.mutation.data !== undefined && variables?.dir === folder && JSON.stringify(variables.policy) === JSON.stringify(policy) ? preview.mutation.data : undefined;
  const entries = catalog.folders.find((f) => f.dir === folder)?.entries.filter((e) => e.manifest.storeId === catalog.storeId) ?? [];

  return (
    <Panel title="Retention" testId="retention">
      <form
        className="retention-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (policy !== null) preview.submit({ onSuccess: () => setApplied(null) });
        }}
        noValidate
      >
        <label className="field">
          <span className="field__label">Folder</span>
          <select
            id={`${id}-folder`}
            className="input select mono"
            value={folder}
            onChange={(e) => {
              setDir(e.target.value);
              setTyped(null);
            }}
          >
            {folders.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <RetentionFields value={fields} onChange={(rule, text) => setTyped({ ...fields, [rule]: text })} invalid={(rule) => preview.issues.at(`policy.${rule}`) !== undefined} testId={(rule) => `retention-${rule}`} />
          <FieldNote error={retentionIssue(preview.issues, 'policy')} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={policy === null || preview.mutation.isPending} data-testid="retention-preview">
            {preview.mutation.isPending ? 'Planning…' : 'Preview (dry run)'}
          </button>
          <span className="muted">{fromSchedule !== undefined && typed === null ? 'The policy of the schedule writing to this folder.' : policy === null ? 'Set at least one rule.' : 'Nothing is deleted until you apply it.'}</span>
        </div>
      </form>
      <FormIssues issues={preview.issues} refused="The dry run was not run" />
      {preview.error !== null && <ErrorPanel error={preview.error} title="The dry run failed" />}
      {plan !== undefined && policy !== null && (
        <RetentionPlanView
          plan={plan}
          dir={folder}
          policy={policy}
          entries={entries}
          onApplied={(result) => {
            preview.mutation.reset();
            setApplied(result);
          }}
        />
      )}
      {applied !== null && (
        <p className="tone-ok" data-testid="retention-applied">
          Pruned {formatCount(applied.pruned.length)} {applied.pruned.length === 1 ? 'archive' : 'archives'}; {formatCount(applied.kept.length)} kept.
        </p>
      )}
    </Panel>
  );
}
