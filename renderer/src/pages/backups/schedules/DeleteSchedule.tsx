import type { ScheduleView } from '../../../../../shared/api/backupTypes.js';
import { useApiMutation } from '../../../api/hooks.js';
import { ConfirmByTyping } from '../../../ui/ConfirmByTyping.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';

/** Deleting a schedule, once its name is typed: its archives and run history stay. */
export function DeleteSchedule({ schedule, onDeleted, onCancel }: { readonly schedule: ScheduleView; readonly onDeleted: () => void; readonly onCancel: () => void }) {
  const remove = useApiMutation('backup.deleteSchedule');
  return (
    <ConfirmByTyping
      title={`Delete the schedule “${schedule.name}”?`}
      expected={schedule.name}
      what="the schedule's name"
      confirmLabel="Delete schedule"
      busy={remove.isPending}
      onCancel={onCancel}
      onConfirm={() => remove.mutate({ id: schedule.id }, { onSuccess: onDeleted })}
      testId="confirm-delete-schedule"
    >
      <p>
        No more backups will start from it. Its archives in <span className="mono">{schedule.destination}</span> stay where they are, and its run history is kept.
        {schedule.rpoMinutes !== null && ' Its RPO target no longer applies.'}
      </p>
      {remove.error !== null && <ErrorPanel error={remove.error} title="The schedule was not deleted" />}
    </ConfirmByTyping>
  );
}
