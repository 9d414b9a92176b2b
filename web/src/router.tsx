// A small history-API router: paths are real URLs (the server answers every non-API path with
// index.html), <Link> navigates without reloading, useRoute() re-renders on every change.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

function notify(): void {
  for (const fn of listeners) fn();
}

window.addEventListener('popstate', notify);

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

export interface Route {
  path: string;
  query: URLSearchParams;
}

export function useRoute(): Route {
  const [, setTick] = useState(0);
  // subscribed during the first render, not in an effect: a child's effect may navigate
  // before its parents' effects run
  const sub = useRef<(() => void) | null>(null);
  if (!sub.current) {
    sub.current = () => setTick((t) => t + 1);
    listeners.add(sub.current);
  }
  useEffect(
    () => () => {
      if (sub.current) listeners.delete(sub.current);
    },
    [],
  );
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** Replaces the query string (keeps the path) without a new history entry. */
export function setQuery(params: Record<string, string | null>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === '') q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  navigate(location.pathname + (s ? `?${s}` : ''), true);
}

/** "/cases/:id" against "/cases/12" -> {id: "12"}; null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) out[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}

type LinkProps = {
  href: string;
  children?: ComponentChildren;
  class?: string;
  'aria-label'?: string;
  'aria-current'?: 'page' | 'true';
};

export function Link({ href, children, ...rest }: LinkProps) {
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
