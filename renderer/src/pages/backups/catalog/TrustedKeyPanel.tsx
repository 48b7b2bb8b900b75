import { useId, useState } from 'react';
import { roleAllows } from '../../../../../shared/security.js';
import { useApiMutation, useApiQuery } from '../../../api/hooks.js';
import { CopyId } from '../../../ui/CopyId.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';

/**
 * The store's trusted signing key (issue 9 class 11): with one set, verify, restore and drills refuse an
 * archive not signed by it. Admins paste a public key (the signing.pub of `pconsole backup keygen`) or clear it.
 */
export function TrustedKeyPanel() {
  const trusted = useApiQuery('backup.trustedKey', {});
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const save = useApiMutation('backup.setTrustedKey');
  const [editing, setEditing] = useState(false);
  const [pem, setPem] = useState('');
  const id = useId();
  const admin = session.data !== undefined && roleAllows(session.data.principal.role, 'admin');
  const key = trusted.data?.trustedKey ?? null;
  const done = () => {
    setEditing(false);
    setPem('');
  };

  return (
    <section className="panel trusted-key" data-testid="trusted-key" data-key-id={key?.keyId ?? ''}>
      <span className="trusted-key__label">Trusted signing key</span>
      {trusted.data === undefined ? (
        <span className="muted">…</span>
      ) : key === null ? (
        <span className="muted">none — archives are checked for damage, not for who made them</span>
      ) : (
        <>
          <CopyId value={key.keyId} head={16} tail={6} label="key id" />
          <span className="muted">
            set <TimeStamp at={key.updatedAt} mode="relative" />; archives not signed by it are refused
          </span>
        </>
      )}
      <span className="toolbar-spacer" />
      {admin && !editing && (
        <>
          <button type="button" className="button button--small" onClick={() => setEditing(true)} data-testid="trusted-key-set">
            {key === null ? 'Set key…' : 'Change…'}
          </button>
          {key !== null && (
            <button type="button" className="button button--small button--quiet" disabled={save.isPending} onClick={() => save.mutate({ clear: true })} data-testid="trusted-key-clear">
              Clear
            </button>
          )}
        </>
      )}
      {editing && (
        <form
          className="trusted-key__form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ publicKey: pem.trim() }, { onSuccess: done });
          }}
        >
          <label htmlFor={`${id}-pem`} className="field__label">
            Public key (PEM: the signing.pub that <code>pconsole backup keygen</code> wrote)
          </label>
          <textarea id={`${id}-pem`} className="input mono" rows={4} spellCheck={false} placeholder="-----BEGIN PUBLIC KEY-----" value={pem} onChange={(e) => setPem(e.target.value)} data-testid="trusted-key-pem" />
          <div className="trusted-key__buttons">
            <button type="submit" className="button button--small button--primary" disabled={pem.trim() === '' || save.isPending} data-testid="trusted-key-save">
              Trust this key
            </button>
            <button type="button" className="button button--small button--quiet" onClick={done}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {save.error !== null && <ErrorPanel error={save.error} title="The trusted key was not changed" />}
    </section>
  );
}
