import type { CatalogEntry } from '../../../../../shared/backup.js';

/**
 * Who an archive says made it (issue 9 class 11), as the catalog can tell without opening it: the key id in
 * its manifest, against the store's trusted key, and what its last verification found of the signature.
 * `signed`: signed, with no trusted key to compare with.
 */
export type SignatureView = 'trusted' | 'other-key' | 'signed' | 'unsigned' | 'invalid';

export function signatureView(entry: CatalogEntry, trustedKeyId: string | null): SignatureView {
  const claimed = entry.manifest.signingKeyId;
  const checked = entry.verification?.signature ?? null;
  if (checked === 'invalid') return 'invalid';
  if (claimed === undefined) return 'unsigned';
  if (trustedKeyId === null) return 'signed';
  return claimed === trustedKeyId && checked !== 'other-key' ? 'trusted' : 'other-key';
}

export const SIGNATURE_LABELS: Readonly<Record<SignatureView, string>> = {
  trusted: 'Trusted key',
  'other-key': 'Other key',
  signed: 'Signed',
  unsigned: 'Unsigned',
  invalid: 'Invalid',
};

/** An unsigned archive is only a concern once a key is trusted: verify and restore then refuse it. */
export function signatureTone(view: SignatureView, trustedKeyId: string | null): 'ok' | 'bad' | 'warn' | 'neutral' {
  if (view === 'trusted') return 'ok';
  if (view === 'invalid' || view === 'other-key') return 'bad';
  return view === 'unsigned' && trustedKeyId !== null ? 'warn' : 'neutral';
}

/** The tooltip: which key, and whether a verification checked the signature or only the manifest names the key. */
export function signatureTitle(entry: CatalogEntry, view: SignatureView): string {
  const claimed = entry.manifest.signingKeyId;
  const checked = entry.verification?.signature === 'trusted';
  switch (view) {
    case 'trusted':
      return `Signed by the trusted key ${claimed}${checked ? ' (the signature was verified)' : ' (as its manifest says: verify it to check the signature)'}`;
    case 'other-key':
      return `Signed by key ${claimed}, not by the trusted key: verify and restore refuse it`;
    case 'signed':
      return `Signed by key ${claimed}; no trusted key is set, so nothing checks who signed it`;
    case 'invalid':
      return 'Its signature does not verify over its manifest: the manifest was changed after signing, or the signature forged';
    case 'unsigned':
      return 'Not signed: its checksums and hash chain show it is consistent, not who made it';
  }
}
