import { DomainException } from '../errors/domain-exception';

export enum InsightsErrorCode {
  MODELS_UNAVAILABLE = 'MODELS_UNAVAILABLE',
}

export class InsightsUnavailableException extends DomainException<InsightsErrorCode> {
  readonly clientCode = 'SERVICE_UNAVAILABLE' as const;
}

export enum RecommendationErrorCode {
  RECOMMENDATION_NOT_FOUND = 'RECOMMENDATION_NOT_FOUND',
}

export class RecommendationNotFoundException extends DomainException<RecommendationErrorCode> {
  readonly clientCode = 'NOT_FOUND' as const;
}

export enum RecommendationConflictCode {
  RECOMMENDATION_DECIDED = 'RECOMMENDATION_DECIDED',
}

export class RecommendationDecidedException extends DomainException<RecommendationConflictCode> {
  readonly clientCode = 'CONFLICT' as const;
}
