import { isDongAmount, isIsoDate } from '@localstore/common';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

function reject(scalar: string, message: string): never {
  throw new GraphQLError(`${scalar}: ${message}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function parseDong(value: unknown): number {
  if (!isDongAmount(value)) reject('Money', 'must be a whole number of đồng from 0 to 1,000,000,000,000');
  return value;
}

/**
 * Money: an integer number of đồng. Output amounts (sums over months) may exceed 2^31, so
 * this is not GraphQL's Int; they stay below 2^53 and are exact JSON numbers.
 */
export const MoneyScalar = new GraphQLScalarType<number, number>({
  name: 'Money',
  description: 'An integer amount of Vietnamese đồng (VND). Never fractional.',
  serialize(value) {
    const amount = typeof value === 'string' || typeof value === 'bigint' ? Number(value) : value;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) throw new GraphQLError('Money: not an integer');
    return amount;
  },
  parseValue: parseDong,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) reject('Money', 'must be an integer literal');
    return parseDong(Number(ast.value));
  },
});

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) reject('Date', 'must be a calendar date YYYY-MM-DD');
  return value;
}

/** A calendar date, `YYYY-MM-DD`: business dates are local to the location. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: "A calendar date as YYYY-MM-DD (business dates are in the location's time zone).",
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return String(value).slice(0, 10);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) reject('Date', 'must be a string YYYY-MM-DD');
    return parseDate(ast.value);
  },
});
