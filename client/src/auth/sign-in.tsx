import { FormEvent, useState } from 'react';
import { useSession } from './session-context';

/** Sign-in: the link printed by `npm start` signs in by itself; otherwise paste a token. */
export function SignIn() {
  const { signIn, notice } = useSession();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(signIn(value));
  };
  return (
    <main className="signin" id="main">
      <form className="card signin__card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <span aria-hidden="true">◐</span> Darkroom
        </h1>
        <p className="muted">Composites, mosaics and thumbnails of your telescope images.</p>
        {notice && (
          <p className="alert alert--warn" role="alert">
            {notice}
          </p>
        )}
        <p>
          Open the sign-in link that <code>npm start</code> printed, or paste a token made with{' '}
          <code>npm run token -- --user you</code>.
        </p>
        <label htmlFor="token">Access token</label>
        <textarea
          id="token"
          rows={4}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={!!error}
          aria-describedby={error ? 'token-error' : undefined}
          spellCheck={false}
          autoComplete="off"
          required
        />
        {error && (
          <p id="token-error" className="field-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn--primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
