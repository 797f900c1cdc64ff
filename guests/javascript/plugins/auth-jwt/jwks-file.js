// Reading the JWKS file of `jwks-file`.

/** The text of the file at `path`; throws an `Error` saying why it cannot be read. */
export function readJwksFile(path) {
  throw new Error("JavaScript plugins cannot read files: give the JWKS inline as `jwks`");
}
