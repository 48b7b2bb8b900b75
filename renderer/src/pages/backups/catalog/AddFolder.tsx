import { useId, useState } from 'react';
import { useInputForm } from '../../../api/useInputForm.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { FieldNote } from '../../../ui/FormField.js';
import { isAbsolutePath } from '../labels.js';

const ADD_FOLDER_ISSUES = { under: [], fields: ['dir'] };

/** Lists a folder that already holds archives (copied from another machine, written by the CLI). */
export function AddFolder() {
  const [open, setOpen] = useState(false);
  const [dir, setDir] = useState('');
  const input = { dir: dir.trim() };
  const add = useInputForm('backup.addFolder', input, { ...ADD_FOLDER_ISSUES, extra: input.dir === '' || isAbsolutePath(input.dir) ? [] : [{ path: ['dir'], message: 'an absolute path on the server' }] });
  const id = useId();
  if (!open)
    return (
      <div className="add-folder">
        <button type="button" className="button button--small button--quiet" onClick={() => setOpen(true)}>
          + Add a folder of archives
        </button>
      </div>
    );
  const problem = add.issues.at('dir');
  return (
    <form
      className="add-folder add-folder--open"
      onSubmit={(e) => {
        e.preventDefault();
        add.submit({
          onSuccess: () => {
            setDir('');
            setOpen(false);
          },
        });
      }}
      noValidate
    >
      <label htmlFor={`${id}-dir`} className="field__label">
        Folder on the server
      </label>
      <input id={`${id}-dir`} className={`input${problem === undefined ? '' : ' input--invalid'}`} placeholder="/var/backups/pconsole" value={dir} onChange={(e) => setDir(e.target.value)} spellCheck={false} aria-invalid={problem !== undefined} />
      <button type="submit" className="button button--small" disabled={input.dir === '' || add.mutation.isPending}>
        Add folder
      </button>
      <button type="button" className="button button--small button--quiet" onClick={() => setOpen(false)}>
        Cancel
      </button>
      <FieldNote error={problem} />
      {add.error !== null && <ErrorPanel error={add.error} title="The folder could not be added" />}
    </form>
  );
}
