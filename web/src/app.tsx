// The application shell: the session (who is signed in), role-aware navigation, and the
// screens by path.
import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, request, setCsrfToken, setUnauthenticatedHandler } from './api';
import { invalidate } from './data';
import { ROLE_NAMES } from './format';
import { Link, match, navigate, useRoute } from './router';
import type { Role, Session, SessionUser } from './types';
import { ErrorMessage, Loading } from './ui';
import { SignIn } from './pages/SignIn';
import type { ComponentType } from 'preact';

/** A screen loaded on first use (its own chunk: the charts library is loaded with the first
 * screen that draws one, not with the sign-in page). */
function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<void> | null = null;
  let failed: unknown = null;
  return function Lazy(props: P) {
    const [, rerender] = useState(0);
    if (loaded) {
      const C = loaded;
      return <C {...props} />;
    }
    if (failed) return <ErrorMessage error={failed} />;
    if (!pending)
      pending = load().then(
        (c) => {
          loaded = c;
        },
        (e) => {
          failed = e;
          pending = null;
        },
      );
    void pending.then(() => rerender((n) => n + 1));
    return <Loading />;
  };
}

const Models = lazy(() => import('./pages/Models').then((m) => m.Models));
const ModelDetail = lazy(() => import('./pages/ModelDetail').then((m) => m.ModelDetail));
const Cases = lazy(() => import('./pages/Cases').then((m) => m.Cases));
const CaseBuilder = lazy(() => import('./pages/CaseBuilder').then((m) => m.CaseBuilder));
const Commit = lazy(() => import('./pages/Commit').then((m) => m.Commit));
const RealizationList = lazy(() => import('./pages/Realization').then((m) => m.RealizationList));
const Realization = lazy(() => import('./pages/Realization').then((m) => m.Realization));
const Portfolio = lazy(() => import('./pages/Portfolio').then((m) => m.Portfolio));
const Portal = lazy(() => import('./pages/Portal').then((m) => m.Portal));
const Audit = lazy(() => import('./pages/Audit').then((m) => m.Audit));
const Maturity = lazy(() => import('./pages/Maturity').then((m) => m.Maturity));

export interface AppState {
  user: SessionUser;
  /** Paths of the API this server has (from its OpenAPI document), e.g. "/portfolio". */
  routes: Set<string>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useApp outside the signed-in application');
  return s;
}

/** What a role may do, as the server's permission table says (the server decides; the UI
 * only hides what would be refused). */
export const CAN = {
  importModel: ['admin', 'value_engineer'],
  approveModel: ['admin', 'value_engineer'],
  readModels: ['admin', 'value_engineer', 'seller', 'csm', 'executive', 'partner'],
  createCase: ['admin', 'value_engineer', 'seller', 'csm'],
  editCase: ['admin', 'value_engineer', 'seller', 'csm'],
  commitCase: ['admin', 'value_engineer', 'seller'],
  transitionCase: ['admin', 'value_engineer', 'seller', 'csm'],
  addMeasurements: ['admin', 'value_engineer', 'csm', 'customer'],
  handleAlerts: ['admin', 'value_engineer', 'csm'],
  readUsers: ['admin', 'value_engineer', 'seller', 'csm', 'executive'],
  audit: ['admin', 'executive'],
  assess: ['admin', 'value_engineer', 'seller', 'csm', 'executive'],
  takeAssessment: ['admin', 'value_engineer', 'executive'],
} satisfies Record<string, Role[]>;

export function can(user: SessionUser, what: keyof typeof CAN): boolean {
  return (CAN[what] as Role[]).includes(user.role);
}

interface NavItem {
  href: string;
  label: string;
  roles: Role[];
  needs?: string;
}

const NAV: NavItem[] = [
  { href: '/portfolio', label: 'Portfolio', roles: ['admin', 'executive', 'value_engineer', 'csm'], needs: '/portfolio' },
  { href: '/models', label: 'Value fabric', roles: CAN.readModels },
  { href: '/cases', label: 'Business cases', roles: ['admin', 'value_engineer', 'seller', 'csm', 'executive', 'partner'] },
  { href: '/realization', label: 'Realization', roles: ['admin', 'value_engineer', 'seller', 'csm', 'executive', 'partner'] },
  { href: '/portal', label: 'Our value', roles: ['customer'] },
  { href: '/maturity', label: 'Maturity', roles: CAN.assess, needs: '/assessments' },
  { href: '/audit', label: 'Audit', roles: CAN.audit },
];

function homeOf(user: SessionUser, routes: Set<string>): string {
  switch (user.role) {
    case 'customer':
      return '/portal';
    case 'value_engineer':
      return '/models';
    case 'csm':
      return '/realization';
    case 'admin':
    case 'executive':
      return routes.has('/portfolio') ? '/portfolio' : '/cases';
    default:
      return '/cases';
  }
}

function navFor(user: SessionUser, routes: Set<string>): NavItem[] {
  return NAV.filter((n) => n.roles.includes(user.role) && (!n.needs || routes.has(n.needs)));
}

/** The API paths the server documents, without the /api/v1 prefix. */
async function apiRoutes(): Promise<Set<string>> {
  try {
    const doc = await get<{ paths?: Record<string, unknown> }>('/openapi.json');
    return new Set(Object.keys(doc.paths ?? {}).map((p) => p.replace(/^\/api\/v1/, '')));
  } catch {
    return new Set();
  }
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return <Loading />;
}

function Screen({ user, routes }: { user: SessionUser; routes: Set<string> }) {
  const { path } = useRoute();
  let m: Record<string, string> | null;
  if (path === '/' || path === '/signin') return <Redirect to={homeOf(user, routes)} />;
  if (path === '/models') return <Models />;
  if ((m = match('/models/:key', path))) return <ModelDetail modelKey={m.key} />;
  if (path === '/cases') return <Cases />;
  if ((m = match('/cases/:id', path))) return <CaseBuilder caseId={Number(m.id)} />;
  if ((m = match('/cases/:id/commit', path))) return <Commit caseId={Number(m.id)} />;
  if ((m = match('/cases/:id/realization', path))) return <Realization caseId={Number(m.id)} />;
  if (path === '/realization') return <RealizationList />;
  if (path === '/portfolio') return <Portfolio />;
  if (path === '/portal') return <Portal />;
  if (path === '/audit') return <Audit />;
  if (path === '/maturity') return <Maturity />;
  return (
    <div class="page">
      <h1 id="page-title">Not found</h1>
      <p>
        There is no screen at <code>{path}</code>. <Link href="/">Go to the start page</Link>.
      </p>
    </div>
  );
}

function Shell({ state, children }: { state: AppState; children: ComponentChildren }) {
  const { path } = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    // a new screen: move the focus to it (screen readers announce its title)
    mainRef.current?.focus();
  }, [path]);
  const items = navFor(state.user, state.routes);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/" class="brand" aria-label="VOS home">
          <span class="logo" aria-hidden="true">
            V
          </span>
          <span>VOS</span>
        </Link>
        <button type="button" class="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <nav id="main-nav" class={`nav${menuOpen ? ' open' : ''}`} aria-label="Main">
          <ul>
            {items.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={path === n.href || path.startsWith(`${n.href}/`) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
          <div class="who">
            <span class="who-name" data-testid="who">
              {state.user.name}
            </span>
            <span class="who-role">{ROLE_NAMES[state.user.role] ?? state.user.role}</span>
            <button type="button" class="secondary small" onClick={() => void state.signOut()}>
              Sign out
            </button>
          </div>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [routes, setRoutes] = useState<Set<string> | null>(null);
  const [error, setError] = useState<unknown>(null);

  const check = () => {
    setError(null);
    get<Session>('/session').then(
      (s) => {
        setCsrfToken(s.csrf_token);
        setSession(s);
      },
      (e) => {
        if (e instanceof ApiError && e.status === 401) setSession(null);
        else setError(e);
      },
    );
  };

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      invalidate();
      setSession(null);
    });
    check();
    apiRoutes().then(setRoutes);
    return () => setUnauthenticatedHandler(null);
  }, []);

  if (error) return <ErrorMessage error={error} onRetry={check} />;
  if (session === undefined || routes === null) return <Loading label="Starting VOS" />;
  if (session === null)
    return (
      <SignIn
        onSignedIn={(s) => {
          invalidate();
          setCsrfToken(s.csrf_token);
          setSession(s);
          if (location.pathname === '/signin') navigate(homeOf(s.user, routes), true);
        }}
      />
    );

  const state: AppState = {
    user: session.user,
    routes,
    signOut: async () => {
      try {
        await request('DELETE', '/session');
      } catch {
        /* signed out either way */
      }
      setCsrfToken(null);
      invalidate();
      setSession(null);
      navigate('/signin', true);
    },
  };
  return (
    <Ctx.Provider value={state}>
      <Shell state={state}>
        <Screen user={session.user} routes={routes} />
      </Shell>
    </Ctx.Provider>
  );
}
