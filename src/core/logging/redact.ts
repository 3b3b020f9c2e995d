/** Query parameters that carry a credential: never written to a log. */
export const SECRET_QUERY_PARAMS = ['access_token', 'sig', 'token'];

/** Log paths pino censors (headers and parsed query of pino-http's request object). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_QUERY_PARAMS.map((name) => `req.query.${name}`),
];

const SECRET_IN_URL = new RegExp(`([?&](?:${SECRET_QUERY_PARAMS.join('|')})=)[^&#]*`, 'gi');

/** The URL with every credential-bearing query value replaced by `[Redacted]`. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_IN_URL, '$1[Redacted]');
}
