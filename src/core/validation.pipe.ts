import { ValidationError as ClassValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, ValidationError } from './errors/app-error';

function flatten(errors: ClassValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator with whitelist + forbidNonWhitelisted; errors in the contract's shape. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationError(flatten(errors)),
  });
}
