import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { CircuitBreaker } from '../circuit-breaker';
import { GRPCInferenceServiceClient, type ModelInferResponse, type ModelMetadataResponse } from './generated/inference/grpc_predict_v2';
import { type InputTensor, Outputs } from './tensors';

export interface InferenceClientOptions {
  /** host:port of the model server's gRPC listener. */
  address: string;
  /** Tries of a call that meets UNAVAILABLE, the first included. */
  attempts: number;
  /** First backoff between tries; doubled each time, with jitter. */
  backoffMs: number;
  breakerFailures: number;
  breakerOpenMs: number;
  /** Largest message either way (a forecast request carries a year or two of history). */
  maxMessageBytes: number;
}

export type InferenceFailureKind = 'unavailable' | 'deadline' | 'invalid_input' | 'not_found' | 'circuit_open' | 'failed';

/** A call to the model server that did not give an answer; `kind` says why. */
export class InferenceError extends Error {
  constructor(
    readonly kind: InferenceFailureKind,
    readonly model: string,
    message: string,
  ) {
    super(`${model}: ${message}`);
    this.name = 'InferenceError';
  }
}

export interface InferenceObserver {
  observe(model: string, outcome: InferenceFailureKind | 'ok', seconds: number): void;
}

/** Codes worth another try: the server is restarting or briefly overloaded. */
const RETRYABLE = new Set([status.UNAVAILABLE]);
/** Codes that say the server is unwell (they open the breaker); bad input does not. */
const SERVER_TROUBLE = new Set([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.INTERNAL, status.UNKNOWN, status.RESOURCE_EXHAUSTED]);

/**
 * ModelInfer and the health calls of the Open Inference Protocol v2 over gRPC, with a
 * deadline on every call, retries with exponential backoff on UNAVAILABLE (inside the same
 * deadline) and a circuit breaker, so that a model server that is down costs callers
 * nothing but an immediate error.
 */
export class InferenceClient {
  private readonly client: GRPCInferenceServiceClient;
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly options: InferenceClientOptions,
    private readonly logger: Logger,
    private readonly observer?: InferenceObserver,
  ) {
    this.client = new GRPCInferenceServiceClient(options.address, credentials.createInsecure(), {
      'grpc.max_receive_message_length': options.maxMessageBytes,
      'grpc.max_send_message_length': options.maxMessageBytes,
      // Reconnect quickly once the server is back, rather than after gRPC's default 120 s.
      'grpc.max_reconnect_backoff_ms': 2_000,
      'grpc.initial_reconnect_backoff_ms': 200,
    });
    this.breaker = new CircuitBreaker(options.breakerFailures, options.breakerOpenMs);
  }

  /** One model call; the answer's outputs, or an InferenceError. */
  async infer(model: string, inputs: InputTensor[], deadlineMs: number): Promise<Outputs> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    if (!this.breaker.tryAcquire()) {
      this.observer?.observe(model, 'circuit_open', 0);
      throw new InferenceError('circuit_open', model, 'the model server is unavailable (circuit open); try again shortly');
    }
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.call<ModelInferResponse>(
          (metadata, options, done) =>
            this.client.modelInfer(
              { modelName: model, modelVersion: '', id: '', parameters: {}, inputs, outputs: [], rawInputContents: [] },
              metadata,
              options,
              done,
            ),
          deadline,
        );
        this.breaker.succeeded();
        this.observer?.observe(model, 'ok', seconds());
        return new Outputs(model, response);
      } catch (error) {
        const grpcError = error as ServiceError;
        const backoff = this.options.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
        if (RETRYABLE.has(grpcError.code) && attempt < this.options.attempts && Date.now() + backoff < deadline) {
          this.logger.debug({ model, attempt, code: grpcError.code }, 'model server unavailable; retrying');
          await new Promise((resolve) => setTimeout(resolve, backoff));
          continue;
        }
        const failure = this.failureOf(model, grpcError);
        if (SERVER_TROUBLE.has(grpcError.code)) this.breaker.failed();
        else this.breaker.succeeded(); // It answered: the server is up, the request was wrong.
        this.observer?.observe(model, failure.kind, seconds());
        throw failure;
      }
    }
  }

  async metadata(model: string, deadlineMs: number): Promise<ModelMetadataResponse> {
    return this.call(
      (metadata, options, done) => this.client.modelMetadata({ name: model, version: '' }, metadata, options, done),
      Date.now() + deadlineMs,
    );
  }

  async ready(deadlineMs: number): Promise<boolean> {
    try {
      const answer = await this.call<{ ready: boolean }>(
        (metadata, options, done) => this.client.serverReady({}, metadata, options, done),
        Date.now() + deadlineMs,
      );
      return answer.ready;
    } catch {
      return false;
    }
  }

  close(): void {
    this.client.close();
  }

  private call<T>(
    start: (metadata: Metadata, options: { deadline: Date }, done: (error: ServiceError | null, value?: T) => void) => unknown,
    deadline: number,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      start(new Metadata(), { deadline: new Date(deadline) }, (error, value) => (error ? reject(error) : resolve(value as T)));
    });
  }

  private failureOf(model: string, error: ServiceError): InferenceError {
    switch (error.code) {
      case status.UNAVAILABLE:
        return new InferenceError('unavailable', model, `the model server is unavailable (${error.details})`);
      case status.DEADLINE_EXCEEDED:
        return new InferenceError('deadline', model, 'the model server did not answer in time');
      case status.INVALID_ARGUMENT:
        return new InferenceError('invalid_input', model, error.details);
      case status.NOT_FOUND:
        return new InferenceError('not_found', model, error.details);
      default:
        return new InferenceError('failed', model, `${status[error.code] ?? error.code}: ${error.details}`);
    }
  }
}
