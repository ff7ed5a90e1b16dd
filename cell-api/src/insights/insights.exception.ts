import { LocalStoreException } from '@localstore/common';

export enum InsightsErrorCode {
  MODELS_UNAVAILABLE = 'MODELS_UNAVAILABLE',
}

export class InsightsUnavailableException extends LocalStoreException<InsightsErrorCode> {
  readonly status = 503 as const;
}

export enum RecommendationErrorCode {
  RECOMMENDATION_NOT_FOUND = 'RECOMMENDATION_NOT_FOUND',
}

export class RecommendationNotFoundException extends LocalStoreException<RecommendationErrorCode> {
  readonly status = 404 as const;
}

export enum RecommendationConflictCode {
  RECOMMENDATION_DECIDED = 'RECOMMENDATION_DECIDED',
}

export class RecommendationDecidedException extends LocalStoreException<RecommendationConflictCode> {
  readonly status = 409 as const;
}
