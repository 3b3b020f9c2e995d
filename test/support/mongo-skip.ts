/** Why the MongoDB suites do not run, or null when MONGO_URL is set and they do. */
export function mongoSkipReason(env = process.env): string | null {
  return env.MONGO_URL
    ? null
    : 'MONGO_URL is not set and no MongoDB server runs here; ' +
        'run `MONGO_URL=mongodb://… npm test` against a replica set (README, production mode)';
}
