import { type LocalStoreException, messageParamsOf } from '@localstore/common';

/** Message catalogs of the control plane's errors: Vietnamese first, English on request. */
const vi: Record<string, string> = {
  INVALID_INPUT: 'Giá trị của trường "{field}" không hợp lệ.',
  PHONE_INVALID: 'Số điện thoại không hợp lệ.',
  PHONE_NOT_MOBILE: 'Vui lòng dùng số di động để nhận mã đăng nhập.',
  PHONE_FOREIGN: 'Hiện chỉ hỗ trợ số di động Việt Nam (+84).',
  TOO_MANY_REQUESTS: 'Bạn đã yêu cầu quá nhiều lần. Vui lòng thử lại sau {retryAfter} giây.',
  SMS_FAILED: 'Không gửi được tin nhắn. Vui lòng thử lại sau ít phút.',
  OTP_INVALID: 'Mã xác thực không đúng hoặc đã hết hạn.',
  OTP_LOCKED: 'Bạn đã nhập sai quá nhiều lần. Vui lòng yêu cầu mã mới.',
  REFRESH_INVALID: 'Phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại.',
  TOKEN_MISSING: 'Bạn cần đăng nhập để tiếp tục.',
  TOKEN_INVALID: 'Phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại.',
  NOT_A_MEMBER: 'Bạn không thuộc cửa hàng này.',
  SLUG_RESERVED: 'Địa chỉ "{slug}" đã được dành riêng. Vui lòng chọn tên khác.',
  SLUG_TAKEN: 'Địa chỉ "{slug}" đã có cửa hàng khác dùng.',
  NO_CELL_CAPACITY: 'Hệ thống đang đầy. Vui lòng thử lại sau ít phút.',
  PROVISIONING_FAILED: 'Chưa tạo được cửa hàng. Vui lòng thử lại sau ít phút.',
  ROLE_FORBIDDEN: 'Vai trò của bạn không được phép thực hiện thao tác này.',
  INVITE_NOT_FOUND: 'Lời mời không tồn tại hoặc đã hết hạn.',
  JOIN_CODE_INVALID: 'Mã tham gia không đúng hoặc đã hết hạn.',
  MEMBER_NOT_FOUND: 'Không tìm thấy thành viên này.',
  LAST_OWNER: 'Cửa hàng phải còn ít nhất một chủ.',
  NOT_FOUND: 'Không tìm thấy địa chỉ này.',
  PAYLOAD_TOO_LARGE: 'Dữ liệu gửi lên quá lớn.',
  BODY_ABORTED: 'Yêu cầu bị ngắt trước khi gửi xong.',
  MERCHANT_TAKEN: 'Tài khoản thanh toán này đã được một cửa hàng khác kết nối.',
  INTERNAL: 'Đã xảy ra lỗi máy chủ. Vui lòng thử lại sau.',
};

const en: Record<string, string> = {
  INVALID_INPUT: 'Field "{field}" is invalid.',
  PHONE_INVALID: 'This phone number is not valid.',
  PHONE_NOT_MOBILE: 'Please use a mobile number to receive the sign-in code.',
  PHONE_FOREIGN: 'Only Vietnamese mobile numbers (+84) are supported for now.',
  TOO_MANY_REQUESTS: 'Too many requests. Please try again in {retryAfter} seconds.',
  SMS_FAILED: 'The text message could not be sent. Please try again in a few minutes.',
  OTP_INVALID: 'The code is wrong or has expired.',
  OTP_LOCKED: 'Too many wrong codes. Please request a new one.',
  REFRESH_INVALID: 'Your session is not valid. Please sign in again.',
  TOKEN_MISSING: 'You need to sign in to continue.',
  TOKEN_INVALID: 'Your session is not valid. Please sign in again.',
  NOT_A_MEMBER: 'You do not belong to this business.',
  SLUG_RESERVED: 'The address "{slug}" is reserved. Please choose another name.',
  SLUG_TAKEN: 'The address "{slug}" is already used by another business.',
  NO_CELL_CAPACITY: 'We are at capacity. Please try again in a few minutes.',
  PROVISIONING_FAILED: 'The business could not be created yet. Please try again in a few minutes.',
  ROLE_FORBIDDEN: 'Your role may not do this.',
  INVITE_NOT_FOUND: 'This invitation does not exist or has expired.',
  JOIN_CODE_INVALID: 'This join code is wrong or has expired.',
  MEMBER_NOT_FOUND: 'This member was not found.',
  LAST_OWNER: 'A business must keep at least one owner.',
  NOT_FOUND: 'There is nothing at this address.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  BODY_ABORTED: 'The request was cut off before its body was complete.',
  MERCHANT_TAKEN: 'This merchant account is already connected to another business.',
  INTERNAL: 'Something went wrong on our side. Please try again later.',
};

export type Language = 'vi' | 'en';

export function languageOf(acceptLanguage: string | undefined): Language {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'vi';
}

export function messageFor(language: Language, reason: string, params: Record<string, string | number>): string {
  const template = (language === 'en' ? en : vi)[reason] ?? vi[reason] ?? vi.INTERNAL!;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}

/** An exception's message in `language`: its key, filled with its params, field and wait. */
export function messageOfException(language: Language, exception: LocalStoreException): string {
  return messageFor(language, exception.messageKey, messageParamsOf(exception));
}
