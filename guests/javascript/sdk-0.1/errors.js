// Failures a plugin reports to the embedder; each becomes a WIT `plugin-error`.

/** A failure inside the plugin; its message reaches the embedder as written. */
export class PluginError extends Error {
  /** The WIT `plugin-error` case. */
  static tag = "internal";
}

/** The plugin's configuration is missing a value or holds a bad one. */
export class InvalidConfig extends PluginError {
  static tag = "invalid-config";
}

/** The request cannot be processed by this plugin (as opposed to being refused). */
export class InvalidRequest extends PluginError {
  static tag = "invalid-request";
}

/** Any other failure inside the plugin. */
export class InternalError extends PluginError {
  static tag = "internal";
}
