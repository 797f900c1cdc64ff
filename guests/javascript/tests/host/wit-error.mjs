// What both engines throw when an imported function returns a WIT `result` error: an Error
// whose `payload` is the `err` case.

/** An imported function's WIT error. */
export class ComponentError extends Error {
  constructor(payload) {
    super(`${String(payload)} (see error.payload)`);
    this.payload = payload;
  }
}
