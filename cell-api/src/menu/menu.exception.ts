import { type ClientErrorCode, DomainException } from '../errors/domain-exception';

export enum MenuErrorCode {
  CATEGORY_NOT_FOUND = 'CATEGORY_NOT_FOUND',
  MENU_ITEM_NOT_FOUND = 'MENU_ITEM_NOT_FOUND',
  DUPLICATE_MODIFIER = 'DUPLICATE_MODIFIER',
}

const CLIENT_CODES: Record<MenuErrorCode, ClientErrorCode> = {
  CATEGORY_NOT_FOUND: 'BAD_USER_INPUT',
  MENU_ITEM_NOT_FOUND: 'NOT_FOUND',
  DUPLICATE_MODIFIER: 'BAD_USER_INPUT',
};

export class MenuException extends DomainException<MenuErrorCode> {
  get clientCode(): ClientErrorCode {
    return CLIENT_CODES[this.reason];
  }
}
