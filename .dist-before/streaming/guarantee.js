export const GUARANTEES = ['exactly-once', 'at-least-once'];
//# sourceMappingURL=guarantee.js.map