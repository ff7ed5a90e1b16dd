import { type ExceptionStatus, LocalStoreException } from '@localstore/common';

export enum MenuErrorCode {
  CATEGORY_NOT_FOUND = 'CATEGORY_NOT_FOUND',
  MENU_ITEM_NOT_FOUND = 'MENU_ITEM_NOT_FOUND',
  DUPLICATE_MODIFIER = 'DUPLICATE_MODIFIER',
}

const STATUS: Record<MenuErrorCode, ExceptionStatus> = {
  CATEGORY_NOT_FOUND: 400,
  MENU_ITEM_NOT_FOUND: 404,
  DUPLICATE_MODIFIER: 400,
};

export class MenuException extends LocalStoreException<MenuErrorCode> {
  get status(): ExceptionStatus {
    return STATUS[this.code];
  }
}
