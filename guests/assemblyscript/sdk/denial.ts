import { Header } from "./request";

/** A refusal: the HTTP status, a reason the client may see, and headers to send with it
 * (such as `WWW-Authenticate`). */
export class Denial {
  /** Headers to send with the refusal, in order. */
  headers: Array<Header> = [];

  constructor(public status: u16, public reason: string) {}

  /** Add a header to the refusal. */
  withHeader(name: string, value: string): Denial {
    this.headers.push(new Header(name, value));
    return this;
  }
}
