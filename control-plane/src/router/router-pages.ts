import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemTypeOf } from '@localstore/common';
import { languageOf, type Language } from '../errors/messages';

const TEXT: Record<string, Record<Language, { title: string; body: string }>> = {
  TENANT_NOT_FOUND: {
    vi: {
      title: 'Không tìm thấy cửa hàng',
      body: 'Địa chỉ này chưa thuộc về cửa hàng nào trên LocalStore. Vui lòng kiểm tra lại đường dẫn.',
    },
    en: { title: 'Business not found', body: 'No business on LocalStore uses this address. Please check the link.' },
  },
  CELL_UNAVAILABLE: {
    vi: { title: 'Tạm thời không truy cập được', body: 'Hệ thống của cửa hàng đang bận hoặc đang bảo trì. Vui lòng thử lại sau ít giây.' },
    en: {
      title: 'Temporarily unavailable',
      body: "This business's service is busy or under maintenance. Please try again in a few seconds.",
    },
  },
  TENANT_SUSPENDED: {
    vi: {
      title: 'Cửa hàng tạm ngưng',
      body: 'Cửa hàng này đang tạm ngưng hoạt động trên LocalStore. Dữ liệu vẫn được giữ nguyên; vui lòng liên hệ chủ cửa hàng.',
    },
    en: { title: 'Business suspended', body: 'This business is suspended on LocalStore. Its data is kept; please contact the owner.' },
  },
  TENANT_DRAINING: {
    vi: {
      title: 'Đang chuyển dữ liệu',
      body: 'Cửa hàng đang được nâng cấp. Bạn vẫn xem được số liệu; thao tác ghi sẽ thực hiện được sau giây lát.',
    },
    en: { title: 'Moving data', body: 'This business is being upgraded. Reading works; changes will be accepted again in a moment.' },
  },
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The router's own answers: a small Vietnamese page for browsers, problem+json for apps. */
export function routerPage(req: IncomingMessage, res: ServerResponse, status: number, reason: keyof typeof TEXT): void {
  const language = languageOf(req.headers['accept-language']);
  const { title, body } = TEXT[reason]![language];
  if (String(req.headers.accept ?? '').includes('text/html')) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      `<!doctype html><html lang="${language}"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`,
    );
    return;
  }
  res.writeHead(status, { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
  res.end(JSON.stringify({ type: problemTypeOf(reason), title, detail: body, status, code: reason }));
}
