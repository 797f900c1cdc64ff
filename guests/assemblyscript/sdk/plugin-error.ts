/** Why a plugin could not decide. */
export const enum ErrorKind {
  /** The plugin's configuration is missing something or holds a bad value. */
  InvalidConfig = 0,
  /** The request cannot be handled (not merely unauthenticated: that is a denial). */
  InvalidRequest = 1,
  /** Anything else that went wrong inside the plugin. */
  Internal = 2,
}

/** A plugin's failure to decide, as opposed to a denial: the host reports it as the plugin's
 * error with this kind and message. */
export class PluginError {
  constructor(public kind: ErrorKind, public message: string) {}

  /** The configuration is wrong. */
  static invalidConfig(message: string): PluginError {
    return new PluginError(ErrorKind.InvalidConfig, message);
  }

  /** The request cannot be handled. */
  static invalidRequest(message: string): PluginError {
    return new PluginError(ErrorKind.InvalidRequest, message);
  }

  /** Anything else. */
  static internal(message: string): PluginError {
    return new PluginError(ErrorKind.Internal, message);
  }

  /** The kind as the legacy JSON names it: `invalid-config`, `invalid-request`, `internal`. */
  kindName(): string {
    switch (this.kind) {
      case ErrorKind.InvalidConfig: return "invalid-config";
      case ErrorKind.InvalidRequest: return "invalid-request";
      default: return "internal";
    }
  }
}
