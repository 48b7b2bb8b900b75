import type { ReactNode } from 'react';

/** Small line icons (16 px, currentColor): drawn here so nothing is fetched and the CSP stays strict. */
function Icon({ children }: { readonly children: ReactNode }) {
  return (
    <svg className="icon" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {children}
    </svg>
  );
}

export const ICONS: Readonly<Record<string, ReactNode>> = {
  overview: (
    <Icon>
      <rect x="2" y="2" width="5" height="5" rx="1" />
      <rect x="9" y="2" width="5" height="5" rx="1" />
      <rect x="2" y="9" width="5" height="5" rx="1" />
      <rect x="9" y="9" width="5" height="5" rx="1" />
    </Icon>
  ),
  streams: (
    <Icon>
      <path d="M2 4h12M2 8h12M2 12h8" />
    </Icon>
  ),
  projections: (
    <Icon>
      <path d="M2 13V3M2 13h12M5 10l3-3 2 2 4-4" />
    </Icon>
  ),
  query: (
    <Icon>
      <path d="M4 5l-2 3 2 3M12 5l2 3-2 3M9.5 3.5l-3 9" />
    </Icon>
  ),
  cache: (
    <Icon>
      <ellipse cx="8" cy="4" rx="5" ry="2" />
      <path d="M3 4v8c0 1.1 2.2 2 5 2s5-.9 5-2V4M3 8c0 1.1 2.2 2 5 2s5-.9 5-2" />
    </Icon>
  ),
  backups: (
    <Icon>
      <rect x="2" y="3" width="12" height="4" rx="1" />
      <path d="M3 7v6h10V7M6.5 10h3" />
    </Icon>
  ),
  recovery: (
    <Icon>
      <path d="M3 8a5 5 0 1 0 1.5-3.5M3 2.5V5h2.5" />
    </Icon>
  ),
  security: (
    <Icon>
      <path d="M8 2l5 2v4c0 3-2.2 5.2-5 6-2.8-.8-5-3-5-6V4l5-2z" />
    </Icon>
  ),
  policies: (
    <Icon>
      <path d="M3 4h10M3 8h10M3 12h10" />
      <circle cx="6" cy="4" r="1.3" />
      <circle cx="10" cy="8" r="1.3" />
      <circle cx="5" cy="12" r="1.3" />
    </Icon>
  ),
  jobs: (
    <Icon>
      <path d="M2 4h7M2 8h12M2 12h5" />
      <circle cx="12" cy="4" r="1.5" />
    </Icon>
  ),
};

export function LogoMark() {
  return (
    <svg className="logo-mark" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
      <rect x="1" y="3" width="16" height="3" rx="1" fill="currentColor" opacity="0.45" />
      <rect x="1" y="7.5" width="16" height="3" rx="1" fill="currentColor" opacity="0.7" />
      <rect x="1" y="12" width="10" height="3" rx="1" fill="currentColor" />
    </svg>
  );
}
