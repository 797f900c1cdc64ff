// `mockforge:plugin/types` stand-in: nothing is imported from it by the SDK.
export {};
