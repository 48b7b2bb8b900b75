import { textOrUndefined } from '../../../ui/formText.js';

/**
 * When a recurring job runs, as its editor's fields hold it (backup schedules, the drill policy): the cron
 * expression and its time zone, the host's when the saved one names none.
 */
export interface CronText {
  readonly cron: string;
  readonly timezone: string;
}

export function cronTextOf(saved: { readonly cron: string; readonly timezone?: string | undefined }, hostZone: string): CronText {
  return { cron: saved.cron, timezone: saved.timezone ?? hostZone };
}

/** The fields as a call's input takes them: an empty zone means the host's. */
export function cronOf(f: CronText): { readonly cron: string; readonly timezone: string | undefined } {
  return { cron: f.cron.trim(), timezone: textOrUndefined(f.timezone) };
}
