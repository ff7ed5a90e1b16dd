import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SmsDeliveryError } from './sms-sender';
import { TwilioSmsSender } from './twilio-sms.sender';
import { ViettelSmsSender } from './viettel-sms.sender';

/**
 * Each gateway client against a local HTTP server that plays the provider: it checks the
 * request the provider documents (method, path, auth, fields) and answers as it would.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
  });
}

async function fakeGateway(
  handler: (req: IncomingMessage, body: string) => { status: number; json: unknown },
): Promise<{ url: string; server: Server; received: string[] }> {
  const received: string[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    received.push(body);
    const { status, json } = handler(req, body);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, received };
}

describe('Viettel-style brandname SMS gateway client', () => {
  const gateway = fakeGateway((req, body) => {
    const fields = JSON.parse(body);
    const wellFormed =
      req.method === 'POST' &&
      req.url === '/sms/send' &&
      String(req.headers['content-type']).startsWith('application/json') &&
      fields.brandName === 'LocalStore' &&
      /^84\d{9}$/.test(fields.phone) &&
      typeof fields.mess === 'string' &&
      /^[0-9a-f-]{36}$/.test(fields.tranId);
    if (!wellFormed) return { status: 400, json: { code: 0, message: 'bad request' } };
    if (fields.user !== 'ls' || fields.pass !== 'secret') return { status: 200, json: { code: 2, message: 'auth failed' } };
    return { status: 200, json: { code: 1, message: 'ok' } };
  });
  afterAll(async () => (await gateway).server.close());

  it('sends the documented fields and accepts code 1', async () => {
    const { url, received } = await gateway;
    await new ViettelSmsSender({ url: `${url}/sms/send`, user: 'ls', password: 'secret', brandName: 'LocalStore' }).send(
      '+84901234567',
      'Mã LocalStore: 123456',
    );
    expect(JSON.parse(received.at(-1)!)).toMatchObject({ phone: '84901234567', mess: 'Mã LocalStore: 123456' });
  });

  it('reports a refusal as a delivery error', async () => {
    const { url } = await gateway;
    const sender = new ViettelSmsSender({ url: `${url}/sms/send`, user: 'ls', password: 'wrong', brandName: 'LocalStore' });
    await expect(sender.send('+84901234567', 'x')).rejects.toBeInstanceOf(SmsDeliveryError);
  });
});

describe('Twilio SMS client', () => {
  const gateway = fakeGateway((req, body) => {
    const expectedAuth = `Basic ${Buffer.from('AC123:tok').toString('base64')}`;
    if (req.method !== 'POST' || req.url !== '/2010-04-01/Accounts/AC123/Messages.json') return { status: 404, json: { code: 20404 } };
    if (req.headers.authorization !== expectedAuth) return { status: 401, json: { code: 20003 } };
    const form = new URLSearchParams(body);
    if (
      req.headers['content-type'] !== 'application/x-www-form-urlencoded' ||
      !/^\+84\d{9}$/.test(form.get('To') ?? '') ||
      form.get('From') !== '+15005550006' ||
      !form.get('Body')
    ) {
      return { status: 400, json: { code: 21604 } };
    }
    return { status: 201, json: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } };
  });
  afterAll(async () => (await gateway).server.close());

  it('posts the form with Basic auth and accepts a created message', async () => {
    const { url, received } = await gateway;
    await new TwilioSmsSender({ url, accountSid: 'AC123', authToken: 'tok', from: '+15005550006' }).send('+84901234567', 'Mã: 654321');
    expect(new URLSearchParams(received.at(-1)!).get('Body')).toBe('Mã: 654321');
  });

  it('reports wrong credentials as a delivery error', async () => {
    const { url } = await gateway;
    const sender = new TwilioSmsSender({ url, accountSid: 'AC123', authToken: 'nope', from: '+15005550006' });
    await expect(sender.send('+84901234567', 'x')).rejects.toBeInstanceOf(SmsDeliveryError);
  });
});
