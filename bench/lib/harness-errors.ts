// The flows harness reports a server that never got ready, or a script that failed, as a plain
// Error; to the bench that is a failed precondition, printed as a message, not a stack trace.
import { BenchError } from './output';

/** `work`'s result, or its failure as a BenchError with the same message. */
export async function asBenchError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof BenchError ? error : new BenchError(error instanceof Error ? error.message : String(error));
  }
}
