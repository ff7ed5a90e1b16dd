import type { IncomingMessage } from 'node:http';
import { type ExceptionStatus, LocalStoreException } from '@localstore/common';

export enum RequestBodyErrorCode {
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  BODY_ABORTED = 'BODY_ABORTED',
}

const STATUS: Record<RequestBodyErrorCode, ExceptionStatus> = {
  PAYLOAD_TOO_LARGE: 413,
  BODY_ABORTED: 400,
};

/** A body that was not read: larger than allowed, or cut off by the client going away. */
export class RequestBodyException extends LocalStoreException<RequestBodyErrorCode> {
  get status(): ExceptionStatus {
    return STATUS[this.code];
  }
}

/**
 * Reads a request's body into memory, at most `limit` bytes: the one reader for the parts
 * of the control plane that see raw requests (the router while a tenant drains, payment
 * webhooks). A declared Content-Length over the limit is refused before a byte is read; a
 * body that grows past it stops being read and the request is paused, not destroyed, so
 * the caller can still answer before closing the connection. A client that goes away
 * mid-body rejects with BODY_ABORTED instead of leaving the read pending for ever.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new RequestBodyException(RequestBodyErrorCode.PAYLOAD_TOO_LARGE, 'body', { limit });
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // The other listeners stay: once settled they do nothing, and an 'error' with no
    // listener left would crash the process.
    const settle = (error?: RequestBodyException) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      if (!error) return resolve(Buffer.concat(chunks));
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle(tooLarge());
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => settle());
    req.on('error', (error) => settle(new RequestBodyException(RequestBodyErrorCode.BODY_ABORTED, 'body', {}, { cause: error })));
    req.on('close', () => settle(new RequestBodyException(RequestBodyErrorCode.BODY_ABORTED, 'body')));
  });
}
