import React from 'react';
import { Theme } from '@twilio-paste/core/theme';

import { logger } from '../utils/logger';
import { CoreAlert } from './CoreAlert';

/** Props of {@link CoreBoundary}. */
export interface CoreBoundaryProps {
  /** Shown in the fallback Alert and in the log line, e.g. "flexcore tab". */
  componentLabel: string;
  children?: React.ReactNode;
}

interface CoreBoundaryState {
  error?: Error;
}

/**
 * Error boundary around every component the plugin injects into Flex. A throw while rendering (including a
 * CoreError from the core) becomes a Paste error Alert in place of the component and a log line; it never
 * propagates into the Flex agent desktop. "Try again" re-mounts the children.
 *
 * It also provides the Paste theme the plugin's components render with (as the Flex ts2 plugin template does).
 */
export class CoreBoundary extends React.Component<CoreBoundaryProps, CoreBoundaryState> {
  state: CoreBoundaryState = {};

  static getDerivedStateFromError(error: unknown): CoreBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: unknown, info: React.ErrorInfo): void {
    logger.error(`${this.props.componentLabel} failed and was replaced by an error alert`, error, info.componentStack);
  }

  private readonly retry = (): void => this.setState({ error: undefined });

  render(): React.ReactNode {
    const { error } = this.state;
    return (
      <Theme.Provider theme="flex">
        {error ? (
          <CoreAlert error={error} componentLabel={this.props.componentLabel} onRetry={this.retry} />
        ) : (
          this.props.children
        )}
      </Theme.Provider>
    );
  }
}

/**
 * Wraps a component in {@link CoreBoundary}; use it for every component handed to Flex (Content.add/replace).
 * @param Component the component to protect
 * @param componentLabel the label shown if it fails
 */
export function withCoreBoundary<P extends object>(
  Component: React.ComponentType<P>,
  componentLabel: string,
): React.FunctionComponent<P> {
  const Wrapped = (props: P): JSX.Element => (
    <CoreBoundary componentLabel={componentLabel}>
      <Component {...props} />
    </CoreBoundary>
  );
  Wrapped.displayName = `withCoreBoundary(${Component.displayName || Component.name || 'Component'})`;
  return Wrapped;
}

export default CoreBoundary;
