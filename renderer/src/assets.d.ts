/** Stylesheets are imported for their side effect: Vite emits them as one .css file (no inline styles: CSP). */
declare module '*.css';
