import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import { readBody, RequestBodyErrorCode, RequestBodyException } from './request-body';

/**
 * The control plane's one body reader, on a real HTTP server: each request's outcome
 * (the body, or the error it was refused with) is handed to the test, and refusals are
 * answered 413 so the client sees the server could still answer. Stubbed: nothing.
 */
describe('reading a request body with a size limit', () => {
  const LIMIT = 1024;
  let server: Server;
  let port: number;
  let outcomes: { started: () => void; report: (outcome: Buffer | unknown) => void }[] = [];
  /** The next request's outcome, and when the server began reading it. */
  const nextRequest = () => {
    let started!: () => void;
    const begun = new Promise<void>((resolve) => (started = resolve));
    const outcome = new Promise<Buffer | unknown>((report) => outcomes.push({ started, report }));
    return { begun, outcome };
  };
  const nextOutcome = () => nextRequest().outcome;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const { started, report } = outcomes.shift()!;
      const reading = readBody(req, LIMIT);
      started();
      reading.then(
        (body) => {
          report(body);
          res.writeHead(200).end(`read ${body.length}`);
        },
        (error: unknown) => {
          report(error);
          if (!res.destroyed) res.writeHead(413, { connection: 'close' }).end('too large');
          res.once('finish', () => req.destroy());
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    outcomes = [];
  });

  const post = (body: Buffer, headers: Record<string, string | number> = {}) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers, agent: false }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('reads a body up to the limit, to the last byte', async () => {
    const outcome = nextOutcome();
    const answer = await post(Buffer.alloc(LIMIT, 0x61));
    expect(answer).toEqual({ status: 200, text: `read ${LIMIT}` });
    expect(((await outcome) as Buffer).equals(Buffer.alloc(LIMIT, 0x61))).toBe(true);
  });

  it('reads an empty body as empty', async () => {
    const outcome = nextOutcome();
    expect((await post(Buffer.alloc(0))).status).toBe(200);
    expect(((await outcome) as Buffer).length).toBe(0);
  });

  it('refuses a declared Content-Length over the limit before reading it, and can still answer', async () => {
    const outcome = nextOutcome();
    const answer = await post(Buffer.alloc(LIMIT + 1), { 'content-length': LIMIT + 1 });
    expect(answer.status).toBe(413);
    const error = await outcome;
    expect(error).toBeInstanceOf(RequestBodyException);
    expect(error).toMatchObject({ code: RequestBodyErrorCode.PAYLOAD_TOO_LARGE, status: 413, field: 'body', params: { limit: LIMIT } });
  });

  it('stops reading a chunked body once it grows past the limit, and can still answer', async () => {
    const outcome = nextOutcome();
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/', agent: false, headers: { 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // Keeps sending after the limit: the server must not wait for the end to refuse it.
      req.write(Buffer.alloc(LIMIT));
      req.write(Buffer.alloc(LIMIT));
    });
    expect(answer).toBe(413);
    expect(await outcome).toMatchObject({ code: RequestBodyErrorCode.PAYLOAD_TOO_LARGE });
  });

  it('rejects, rather than waiting for ever, when the client goes away mid-body', async () => {
    const { begun, outcome } = nextRequest();
    const socket: Socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMIT}\r\n\r\n${'c'.repeat(10)}`);
    // Once the server is reading, the client disappears.
    await begun;
    socket.destroy();
    const error = await outcome;
    expect(error).toBeInstanceOf(RequestBodyException);
    expect(error).toMatchObject({ code: RequestBodyErrorCode.BODY_ABORTED, status: 400, field: 'body' });
  });
});
