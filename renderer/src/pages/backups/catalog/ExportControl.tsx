import { useState } from 'react';
import { api } from '../../../api/client.js';
import { useApiMutation, useApiQuery } from '../../../api/hooks.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { JobProgressView } from '../../../jobs/JobProgressView.js';
import { useJobById } from '../../../jobs/JobsProvider.js';
import { isBackupExportResult } from '../../../jobs/backupResults.js';
import { ErrorPanel, InlineError } from '../../../ui/ErrorPanel.js';
import { ProgressBar } from '../../../ui/ProgressBar.js';
import { baseName } from '../labels.js';

interface DownloadState {
  readonly done: number;
  readonly total: number;
  readonly current: string | null;
  readonly bytes: number;
  readonly error: unknown;
}

const pause = (ms: number) => new Promise((resolve) => window.setTimeout(resolve, ms));

/**
 * Hands one archive to the browser as a download: a one-time link from the server (valid minutes, behind
 * the session cookie), followed by an <a download>; the server answers with Content-Disposition:
 * attachment, so the page stays where it is.
 */
async function downloadArchive(archive: string): Promise<number> {
  const link = await api.call('backup.downloadLink', { archive });
  const a = document.createElement('a');
  a.href = link.url;
  a.download = link.fileName;
  a.rel = 'noopener';
  a.className = 'visually-hidden';
  document.body.append(a);
  a.click();
  a.remove();
  return link.bytes;
}

/**
 * Export an archive or a chain: the desktop app copies them to a folder the admin picks (the backup.export
 * job, with progress); in a browser (serve mode) each archive is downloaded in turn.
 */
export function ExportControl({ archives, noun, what, small = false }: { readonly archives: readonly string[]; readonly noun: string; readonly what: string; readonly small?: boolean }) {
  // The desktop app copies into a folder chosen in a dialog; elsewhere each archive is downloaded.
  const desktop = useApiQuery('session.info', {}, { staleTime: Infinity }).data?.capabilities.folderDialog === true;
  const exportJob = useApiMutation('backup.export');
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const job = useJobById(jobId);
  const [download, setDownload] = useState<DownloadState | null>(null);
  const downloading = download !== null && download.current !== null && download.error === null;
  const busy = exportJob.isPending || job?.state === 'running' || downloading;

  const start = async () => {
    if (desktop) {
      exportJob.mutate({ archives: [...archives] }, { onSuccess: ({ jobId: id }) => setJobId(id) });
      return;
    }
    let bytes = 0;
    for (let i = 0; i < archives.length; i++) {
      const archive = archives[i]!;
      setDownload({ done: i, total: archives.length, current: baseName(archive), bytes, error: null });
      try {
        bytes += await downloadArchive(archive);
      } catch (error) {
        setDownload({ done: i, total: archives.length, current: baseName(archive), bytes, error });
        return;
      }
      // Browsers drop downloads started too close together.
      if (i < archives.length - 1) await pause(400);
    }
    setDownload({ done: archives.length, total: archives.length, current: null, bytes, error: null });
  };

  const result = job?.state === 'succeeded' && isBackupExportResult(job.result) ? job.result : undefined;
  return (
    <div className="export-control" data-testid="export-control">
      <button type="button" className={`button${small ? ' button--small' : ''}`} disabled={busy || archives.length === 0} onClick={() => void start()} title={desktop ? `Copy ${what} to a folder you choose` : `Download ${what} through the browser`}>
        {desktop ? `Export ${noun}…` : `Download ${noun}`}
      </button>
      {exportJob.error !== null && <ErrorPanel error={exportJob.error} title="The export could not start" />}
      {job !== undefined && (
        <div className="export-control__status">
          <JobProgressView job={job} />
          {job.state === 'failed' && job.error !== null && <InlineError error={job.error} />}
          {result !== undefined && (
            <p className="tone-ok">
              {formatCount(result.files)} {result.files === 1 ? 'archive' : 'archives'} ({formatBytes(result.bytes)}) copied to <span className="mono">{result.to}</span>
            </p>
          )}
        </div>
      )}
      {download !== null && (
        <div className="export-control__status" data-testid="download-status" data-done={download.done === download.total && download.error === null}>
          <ProgressBar done={download.done} total={download.total} label={`Downloading ${what}`} />
          {download.error !== null ? (
            <ErrorPanel error={download.error} title={`The download of ${download.current ?? 'an archive'} could not start`} onRetry={() => void start()} />
          ) : download.current !== null ? (
            <p className="muted">
              Handing {download.current} to the browser ({formatCount(download.done + 1)} of {formatCount(download.total)})…
            </p>
          ) : (
            <p className="tone-ok">
              {formatCount(download.total)} {download.total === 1 ? 'download' : 'downloads'} handed to the browser ({formatBytes(download.bytes)}). Your browser may ask before saving several files.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
