import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { isUuid } from '@localstore/common';
import { InputException } from '../errors/input.exception';

/** Checks a scalar ID argument is a UUID before any SQL sees it. */
@Injectable()
export class UuidArgPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (value === undefined || value === null) return value;
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (!isUuid(v)) throw new InputException(`${metadata.data}[${i}]`, 'isUuid');
      });
      return value;
    }
    if (!isUuid(value)) throw new InputException(metadata.data ?? 'id', 'isUuid');
    return value;
  }
}

export const UuidArg = new UuidArgPipe();
