import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { InputException } from '../errors/input.exception';
import { TOP_ITEMS_KEPT } from './dashboard.repository';

/** `limit` of a best-sellers list: 1 to the number kept. */
@Injectable()
class LimitArgPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > TOP_ITEMS_KEPT) {
      throw new InputException(metadata.data ?? 'limit', 'max', { max: TOP_ITEMS_KEPT, min: 1 });
    }
    return value;
  }
}

export const LimitArg = new LimitArgPipe();
