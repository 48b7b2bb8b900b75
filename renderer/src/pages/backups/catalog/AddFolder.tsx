import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useApiMutation } from '../../../api/hooks.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';

/** Lists a folder that already holds archives (copied from another machine, written by the CLI). */
export function AddFolder() {
  const [open, setOpen] = useState(false);
  const [dir, setDir] = useState('');
  const add = useApiMutation('backup.addFolder');
  const queryClient = useQueryClient();
  const id = useId();
  if (!open)
    return (
      <div className="add-folder">
        <button type="button" className="button button--small button--quiet" onClick={() => setOpen(true)}>
          + Add a folder of archives
        </button>
      </div>
    );
  return (
    <form
      className="add-folder add-folder--open"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(
          { dir: dir.trim() },
          {
            onSuccess: (catalog) => {
              queryClient.setQueryData(['backup.catalog', {}], catalog);
              void queryClient.invalidateQueries({ queryKey: ['store.overview'] });
              setDir('');
              setOpen(false);
            },
          },
        );
      }}
    >
      <label htmlFor={`${id}-dir`} className="field__label">
        Folder on the server
      </label>
      <input id={`${id}-dir`} className="input" placeholder="/var/backups/pconsole" value={dir} onChange={(e) => setDir(e.target.value)} spellCheck={false} />
      <button type="submit" className="button button--small" disabled={dir.trim() === '' || add.isPending}>
        Add folder
      </button>
      <button type="button" className="button button--small button--quiet" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {add.error !== null && <ErrorPanel error={add.error} title="The folder could not be added" />}
    </form>
  );
}
