import { applyDecorators } from '@nestjs/common';
import { isValidTimeZone, MAX_ORDER_AMOUNT_DONG } from '@localstore/common';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsUUID, Max, MaxLength, Min, MinLength, registerDecorator } from 'class-validator';

/**
 * Validation decorators that carry their limits as context, so the error message can say
 * "at most 120 characters" in the client's language instead of class-validator's English.
 */
export const IntRange = (min: number, max: number) =>
  applyDecorators(IsInt(), Min(min, { context: { min } }), Max(max, { context: { max } }));

export const DongAmount = () => IntRange(0, MAX_ORDER_AMOUNT_DONG);

export const Text = (max: number, min = 1) => applyDecorators(MinLength(min, { context: { min } }), MaxLength(max, { context: { max } }));

export const Uuid = () => IsUUID('all');

export const OneOf = (values: readonly string[]) => IsIn([...values], { context: { values: values.join(', ') } });

export const ListSize = (min: number, max: number) =>
  applyDecorators(ArrayMinSize(min, { context: { min } }), ArrayMaxSize(max, { context: { max } }));

export function IsTimeZone() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: object.constructor,
      propertyName,
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidTimeZone(value) },
    });
}
