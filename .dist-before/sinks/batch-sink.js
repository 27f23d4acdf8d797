export {};
//# sourceMappingURL=batch-sink.js.map