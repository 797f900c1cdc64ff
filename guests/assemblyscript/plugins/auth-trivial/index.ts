// The benchmark auth plugin: it allows a request whose `authorization` header is exactly
// `Bearer good` and denies every other, so that a benchmark measures the plugin call itself.

import { handleAuthenticate, Identity, Outcome, Request } from "../../sdk";

export function authenticate(input: string): string {
  return handleAuthenticate(input, decide);
}

function decide(request: Request): Outcome {
  const credential = request.header("authorization");
  if (credential !== null && credential == "Bearer good") {
    return Outcome.allow(new Identity("good"));
  }
  return Outcome.deny(401, "denied");
}
