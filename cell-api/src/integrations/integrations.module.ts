import { Module } from '@nestjs/common';
import { ModelInputsRepository } from './model-inputs.repository';
import { ModelOperations } from './model-operations';

/** The design's IntegrationsModule: the typed client of the KServe model server. */
@Module({
  providers: [ModelInputsRepository, ModelOperations],
  exports: [ModelOperations],
})
export class IntegrationsModule {}
