import { Component, type ReactNode } from 'react';
import { ErrorPanel } from '../ui/ErrorPanel.js';

interface State {
  readonly error: unknown;
}

/** A page that fails to render shows the failure (code, message, what to do), not a blank screen. */
export class ErrorBoundary extends Component<{ readonly children: ReactNode; readonly resetKey: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidUpdate(previous: { readonly resetKey: string }): void {
    if (previous.resetKey !== this.props.resetKey && this.state.error !== null) this.setState({ error: null });
  }

  override render(): ReactNode {
    if (this.state.error !== null) return <ErrorPanel error={this.state.error} title="This page failed to render" onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}
