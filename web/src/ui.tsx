// Shared pieces of every screen: loading of API data, loading and error states, figures,
// fields with their error, dialogs.
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

/** Runs `load` now and whenever `deps` change; a newer run supersedes an older one. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ data: s.data, error: null, loading: true }));
    load(ctl.signal).then(
      (data) => {
        if (!ctl.signal.aborted) setState({ data, error: null, loading: false });
      },
      (error) => {
        if (!ctl.signal.aborted) setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((data: T) => setState({ data, error: null, loading: false }), []);
  return { ...state, reload, setData };
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}…
    </p>
  );
}

/** A readable message for a failed request, next to what caused it. */
export function ErrorMessage({ error, onRetry, id }: { error: unknown; onRetry?: () => void; id?: string }) {
  if (!error) return null;
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <div class="error" role="alert" id={id}>
      <span>{errorMessage(error)}</span>
      {error instanceof ApiError && error.requestId && !notFound && error.status >= 500 ? (
        <span class="muted"> (request {error.requestId})</span>
      ) : null}
      {onRetry ? (
        <button type="button" class="link" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Shows loading, the error, or the children once the data is there. */
export function Async<T>({ state, label, children }: { state: Loaded<T>; label?: string; children: (data: T) => ComponentChildren }) {
  if (state.data === undefined) {
    if (state.error) return <ErrorMessage error={state.error} onRetry={state.reload} />;
    return <Loading label={label} />;
  }
  return (
    <>
      {state.error ? <ErrorMessage error={state.error} onRetry={state.reload} /> : null}
      {children(state.data)}
    </>
  );
}

export function PageHeader({ title, sub, children }: { title: string; sub?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <h1 id="page-title">{title}</h1>
        {sub ? <p class="sub">{sub}</p> : null}
      </div>
      {children ? <div class="actions">{children}</div> : null}
    </header>
  );
}

/** A figure card; with onClick it is a button that opens the figure's lineage. */
export function Stat({ label, value, hint, onClick, testId, tone }: { label: string; value: string; hint?: string; onClick?: () => void; testId?: string; tone?: 'good' | 'bad' }) {
  const body = (
    <>
      <span class="stat-label">{label}</span>
      <span class={`stat-value${tone ? ` ${tone}` : ''}`} data-testid={testId}>
        {value}
      </span>
      {hint ? <span class="stat-hint">{hint}</span> : null}
    </>
  );
  if (onClick)
    return (
      <button type="button" class="stat clickable" onClick={onClick} aria-label={`${label}: ${value}. Show how it is computed`}>
        {body}
      </button>
    );
  return <div class="stat">{body}</div>;
}

export function Section({ title, children, actions, id }: { title: string; children: ComponentChildren; actions?: ComponentChildren; id?: string }) {
  const hid = useId();
  return (
    <section class="panel" aria-labelledby={hid} id={id}>
      <div class="panel-head">
        <h2 id={hid}>{title}</h2>
        {actions ? <div class="actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

type FieldProps = {
  label: string;
  error?: string | null;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => ComponentChildren;
};

/** A labelled control with its hint and error (aria-describedby names both). */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : '';
  const errId = error ? `${id}-err` : '';
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      {children(id, describedBy)}
      {hint ? (
        <span class="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span class="field-error" id={errId} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A modal dialog (the native <dialog>: focus stays inside, Escape closes it). */
export function Dialog({ open, title, onClose, children, wide }: { open: boolean; title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const hid = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const onCancel = (e: Event) => {
    e.preventDefault();
    onClose();
  };
  return (
    <dialog ref={ref} class={`dialog${wide ? ' wide' : ''}`} aria-labelledby={hid} onCancel={onCancel}>
      <div class="dialog-head">
        <h2 id={hid}>{title}</h2>
        <button type="button" class="icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {open ? children : null}
    </dialog>
  );
}

export function Badge({ children, tone }: { children: ComponentChildren; tone?: string }) {
  return <span class={`badge${tone ? ` ${tone}` : ''}`}>{children}</span>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** A button that runs an async action, disables itself meanwhile and shows its error. */
export function ActionButton({ onAction, children, class: cls, label, ...rest }: { onAction: () => Promise<unknown>; children: ComponentChildren; class?: string; label?: string } & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick' | 'class'>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await onAction();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="action">
      <button type="button" class={cls ?? 'secondary'} disabled={busy} aria-busy={busy} aria-label={label} onClick={run} {...rest}>
        {children}
      </button>
      {error ? <ErrorMessage error={error} /> : null}
    </span>
  );
}
