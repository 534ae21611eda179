export * from './review';
export * from './review-report';
