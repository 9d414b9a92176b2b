import { useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import type { Session } from '../types';
import { ErrorMessage, Field } from '../ui';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await request<Session>('POST', '/session', { body: { email, password } });
      onSignedIn(r.data);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fieldError = (name: string) => (error instanceof ApiError ? error.fieldMessage(name) : undefined);

  return (
    <main id="main" class="signin">
      <form class="signin-card" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <div class="brand big">
          <span class="logo" aria-hidden="true">
            V
          </span>
          <span>VOS</span>
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p class="sub">The Value Operating System: quantify, commit and prove the value you deliver.</p>
        <Field label="Email" error={fieldError('email')}>
          {(id, d) => (
            <input id={id} aria-describedby={d} type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Password" error={fieldError('password')}>
          {(id, d) => (
            <input id={id} aria-describedby={d} type="password" name="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          )}
        </Field>
        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
