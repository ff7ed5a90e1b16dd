import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { InputException } from '../errors/input.exception';

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object]);

/** `input.items.0.quantity` → `input.items[0].quantity`: the path a client can act on. */
function fieldPath(parent: string, error: ValidationError): string {
  const segment = /^\d+$/.test(error.property) ? `[${error.property}]` : `.${error.property}`;
  return parent ? `${parent}${segment}` : error.property;
}

function firstViolation(
  errors: ValidationError[],
  parent: string,
): { field: string; constraint: string; context?: Record<string, unknown> } | null {
  for (const error of errors) {
    const field = fieldPath(parent, error);
    if (error.constraints) {
      const constraint = Object.keys(error.constraints)[0]!;
      return { field, constraint, context: error.contexts?.[constraint] };
    }
    const nested = firstViolation(error.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

/**
 * Validates every GraphQL argument that is a class with class-validator rules, and
 * rejects the first violation as BAD_USER_INPUT naming the exact field.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (!type || PRIMITIVES.has(type) || value === null || value === undefined || typeof value !== 'object') return value;
    const instance = plainToInstance(type, value) as object;
    const errors = await validate(instance, { forbidUnknownValues: false, validationError: { target: false } });
    const violation = firstViolation(errors, metadata.data ?? '');
    if (violation) {
      const params: Record<string, string | number> = {};
      for (const [key, v] of Object.entries(violation.context ?? {})) {
        params[key] = Array.isArray(v) ? v.join(', ') : (v as string | number);
      }
      throw new InputException(violation.field, violation.constraint, params);
    }
    return instance;
  }
}
