import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, type PHONE, type TABLET } from './chromium';
import { PaymentsStack } from './payments-stack';
import { eventually } from '@localstore/common/testing';
import { httpRequest } from '@localstore/control-plane/testing';

export const WEB_OUT = resolve(__dirname, '../../web/out');
export const SCREENSHOTS = resolve(__dirname, '../../.local/test-results/screenshots');

export interface WebTenant {
  id: string;
  slug: string;
  name: string;
  locations: { id: string; name: string }[];
  items: { id: string; name: string; price: number }[];
  ownerPhone: string;
  managerPhone: string;
}

/**
 * The whole product for a browser: the real control plane (serving the built web app, the
 * SMS gateway replaced by a local server that checks Twilio's request), a real cell that
 * trusts the control plane's keys, NATS with the payments stream, Postgres and Redis, the
 * wallet providers' stand-ins, and Debian's Chromium driven by playwright-core.
 */
export class WebStack {
  /** What Chromium refused under the pages' Content-Security-Policy, from any context. */
  readonly policyViolations: string[] = [];

  private constructor(
    readonly payments: PaymentsStack,
    readonly browser: Browser,
  ) {}

  static async start(): Promise<WebStack> {
    if (!existsSync(resolve(WEB_OUT, 'index.html'))) throw new Error(`the web app is not built in ${WEB_OUT}: run make build`);
    // Each browser context signs in for itself, several times a minute per phone.
    const limits = { OTP_PER_PHONE_PER_MINUTE: '50', OTP_PER_PHONE_PER_HOUR: '500', OTP_PER_IP_PER_HOUR: '5000' };
    const payments = await PaymentsStack.start({ WEB_APP_DIR: WEB_OUT, ...limits }, { cellTrustsControlPlane: true });
    const browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    return new WebStack(payments, browser);
  }

  get cp() {
    return this.payments.cp;
  }

  get cell() {
    return this.payments.cell;
  }

  /** `http://<host>.localhost:<port>`: Chromium sends every `*.localhost` to loopback. */
  origin(host: string): string {
    return `http://${host}.localhost:${this.cp.running.port}`;
  }

  /** A business with two locations, a menu in two categories (one dish with options), an owner and a manager. */
  async newTenant(name = 'Phở Bò Hà Nội'): Promise<WebTenant> {
    const id = randomUUID();
    const slug = `pho-${randomUUID().slice(0, 6)}`;
    await this.cp.addTenant({ id, slug, name, cell: { name: 'test-cell', endpoint: this.cell.url } });
    const tenant = await this.cell.factories.newTenant(slug, 'active', id);
    const locations = [
      { id: await this.cell.factories.newLocation(tenant, 'Chi nhánh Hoàn Kiếm'), name: 'Chi nhánh Hoàn Kiếm' },
      { id: await this.cell.factories.newLocation(tenant, 'Chi nhánh Quận 1'), name: 'Chi nhánh Quận 1' },
    ];
    const mains = await this.cell.factories.newCategory(tenant, 'Món chính');
    const drinks = await this.cell.factories.newCategory(tenant, 'Đồ uống');
    const items = [
      await this.cell.factories.newMenuItem(tenant, { name: 'Phở bò tái', price: 55_000, categoryId: mains }),
      await this.cell.factories.newMenuItem(tenant, { name: 'Bún chả Hà Nội', price: 50_000, categoryId: mains }),
      await this.cell.factories.newMenuItem(tenant, { name: 'Trà đá', price: 5_000, categoryId: drinks }),
      await this.cell.factories.newMenuItem(tenant, { name: 'Cà phê sữa đá', price: 29_000, categoryId: drinks }),
    ];
    await this.cell.factories.newModifier(tenant, items[0]!.id, 'Thêm thịt', 15_000);
    const n = Math.floor(Math.random() * 1_000_000);
    const ownerPhone = `+8491${String(n).padStart(7, '0')}`.slice(0, 12);
    const managerPhone = `+8498${String(n).padStart(7, '0')}`.slice(0, 12);
    await this.cp.addMember(id, ownerPhone, 'owner');
    await this.cp.addMember(id, managerPhone, 'manager');
    return { id, slug, name, locations, items: items.map((i) => ({ id: i.id, name: i.name, price: i.price })), ownerPhone, managerPhone };
  }

  async newContext(size: typeof PHONE | typeof TABLET, language = 'vi-VN'): Promise<BrowserContext> {
    const context = await this.browser.newContext({ ...size, locale: language, timezoneId: 'Asia/Ho_Chi_Minh' });
    // Chromium reports each refusal as a console error naming the policy.
    context.on(
      'console',
      (m) =>
        m.type() === 'error' &&
        m.text().includes('Content Security Policy') &&
        this.policyViolations.push(`${m.location().url}: ${m.text()}`),
    );
    // WEB_TEST_CONSOLE=1 prints what the pages log and throw, to see why a screen did not change.
    if (process.env.WEB_TEST_CONSOLE) {
      context.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
      context.on('weberror', (e) => console.log(`[browser error] ${e.error().message}`));
    }
    return context;
  }

  /** Signs in through the app: the phone as a person types it, the code the SMS gateway received. */
  async signIn(page: Page, host: string, phoneE164: string): Promise<void> {
    await page.goto(`${this.origin(host)}/login/`);
    const sentBefore = this.cp.sms.messages.filter((m) => m.to === phoneE164).length;
    await page.getByLabel('Số điện thoại').fill(phoneE164.replace('+84', '0'));
    await page.getByRole('button', { name: 'Gửi mã' }).click();
    const code = page.getByLabel('Mã xác thực (6 số)');
    await code.waitFor();
    // The SMS may leave after the answer: wait for this sign-in's own message, not an earlier one.
    await eventually(
      async () => this.cp.sms.messages.filter((m) => m.to === phoneE164).length > sentBefore,
      `the sign-in code sent to ${phoneE164}`,
    );
    await code.fill(this.cp.sms.codeSentTo(phoneE164));
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
  }

  /** The owner's token for calls the test makes itself (through the router, as the app does). */
  async ownerToken(tenant: WebTenant): Promise<{ accessToken: string }> {
    const session = await this.cp.signIn(tenant.ownerPhone);
    const switched = await this.cp.api(
      '/api/v1/auth/switch-tenant',
      { tenantId: tenant.id },
      { authorization: `Bearer ${session.accessToken}` },
    );
    return switched.json;
  }

  cellGql(tenant: WebTenant, token: string, query: string, variables: Record<string, unknown> = {}) {
    return httpRequest(`${this.cp.url}/graphql`, {
      host: `${tenant.slug}.localhost`,
      headers: { authorization: `Bearer ${token}` },
      body: { query, variables },
    });
  }

  ordersOf(tenant: WebTenant): Promise<{ id: string; total: number; status: string; paymentMethod: string; locationId: string }[]> {
    return this.cell.ownerQuery(
      tenant.id,
      'SELECT id, total::int AS total, status, payment_method AS "paymentMethod", location_id AS "locationId" FROM orders ORDER BY created_at',
    );
  }

  async screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.payments?.stop();
  }
}

const JSQR = readFileSync(require.resolve('jsqr/dist/jsQR.js'), 'utf8');

/**
 * Reads the QR code on the page as a phone's camera would see it: the SVG drawn into a canvas,
 * its pixels decoded by jsQR (an independent decoder), so a test checks what a scan opens.
 */
export async function decodeQr(page: Page, selector = '[data-testid=pay-qr]'): Promise<string | null> {
  // Evaluated over CDP, not as an inline <script>: the page's policy would rightly refuse that.
  await page.evaluate(JSQR);
  return page.evaluate(async (selector) => {
    const svg = document.querySelector(selector) as SVGSVGElement;
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 400;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0, 400, 400);
    const pixels = context.getImageData(0, 0, 400, 400);
    const found = (window as unknown as { jsQR(data: Uint8ClampedArray, w: number, h: number): { data: string } | null }).jsQR(
      pixels.data,
      400,
      400,
    );
    return found?.data ?? null;
  }, selector);
}

/**
 * What is wrong with the screen as it stands: wider than the viewport, a visible control with no
 * accessible name, text below WCAG 2.2's contrast minimum (4.5:1, large text 3:1; disabled
 * controls exempt), each as one line.
 */
export function screenProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1)
      found.push(`wider than the screen: ${document.documentElement.scrollWidth}px`);
    for (const control of document.querySelectorAll<HTMLElement>('input, select, textarea, button')) {
      if (control.offsetParent === null) continue;
      const named =
        (control as HTMLInputElement).labels?.length ||
        control.getAttribute('aria-label') ||
        (control.tagName === 'BUTTON' && control.textContent?.trim());
      if (!named) found.push(`unnamed ${control.tagName.toLowerCase()} ${control.outerHTML.slice(0, 80)}`);
    }
    // WCAG 2.2 contrast (1.4.3): 4.5:1 for text, 3:1 for large text; disabled controls are exempt.
    const rgba = (css: string) => {
      const parts = /rgba?\(([^)]+)\)/
        .exec(css)?.[1]
        ?.split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return parts ? [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1] : null;
    };
    const over = (top: number[], below: number[]) => [0, 1, 2].map((i) => top[i]! * top[3]! + below[i]! * (1 - top[3]!));
    const backdrop = (element: Element) => {
      const layers: number[][] = [];
      for (let e: Element | null = element; e; e = e.parentElement) {
        const colour = rgba(getComputedStyle(e).backgroundColor);
        if (colour && colour[3]! > 0) layers.push(colour);
        if (colour && colour[3]! >= 1) break;
      }
      return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255]);
    };
    const luminance = (c: number[]) => {
      const [r, g, b] = c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      const text = [...element.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (
        text === '' ||
        !element.checkVisibility({ visibilityProperty: true, opacityProperty: true }) ||
        element.closest(':disabled, [aria-disabled="true"]')
      )
        continue;
      const style = getComputedStyle(element);
      const bg = backdrop(element);
      const fg = over(rgba(style.color)!, bg);
      const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (light! + 0.05) / (dark! + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5))
        found.push(`contrast ${ratio.toFixed(2)}:1 for "${text.slice(0, 40)}" (${style.color} on rgb(${bg.map(Math.round).join(', ')}))`);
    }
    return found;
  });
}
