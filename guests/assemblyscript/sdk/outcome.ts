import { Denial } from "./denial";
import { Identity } from "./identity";
import { PluginError } from "./plugin-error";

/** What an auth plugin decided: exactly one of `identity` (allow), `denial` (deny) and
 * `error` (the plugin could not decide) is set. */
export class Outcome {
  private constructor(
    public identity: Identity | null,
    public denial: Denial | null,
    public error: PluginError | null,
  ) {}

  /** Let the request through as `identity`. */
  static allow(identity: Identity): Outcome {
    return new Outcome(identity, null, null);
  }

  /** Refuse the request with HTTP `status` and `reason`. */
  static deny(status: u16, reason: string): Outcome {
    return new Outcome(null, new Denial(status, reason), null);
  }

  /** Refuse the request as `denial` describes, headers included. */
  static denyWith(denial: Denial): Outcome {
    return new Outcome(null, denial, null);
  }

  /** Report that the plugin could not decide. Missing or bad credentials are a denial, not an
   * error: fail only when, for example, the configuration is wrong. */
  static fail(error: PluginError): Outcome {
    return new Outcome(null, null, error);
  }
}
