import { mongoSkipReason } from './mongo-skip';

/** Jest global setup of the unit project: says once per run when the MongoDB suites are skipped. */
export default function mongoNotice(): void {
  const reason = mongoSkipReason();
  if (reason) process.stdout.write(`MongoDB suites skipped: ${reason}\n`);
}
