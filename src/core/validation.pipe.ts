import {
  ArgumentMetadata,
  ValidationError as ClassValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { ErrorDetail, ValidationError } from './errors/app-error';
import { forbiddenKeys } from './http/forbidden-keys';

function flatten(errors: ClassValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Refuses `__proto__`/`constructor` keys, which class-transformer would drop without a word. */
class StrictValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const details = forbiddenKeys(value);
      if (details.length > 0) throw new ValidationError(details);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** class-validator with whitelist + forbidNonWhitelisted; errors in the contract's shape. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationError(flatten(errors)),
  });
}
