// The MockForge AssemblyScript SDK: write an auth plugin as one function from `Request` to
// `Outcome`, export `authenticate` through `handleAuthenticate`, and build with
// `--exportRuntime --runtime incremental` (see ../README.md).

export { handleAuthenticate, Authenticate } from "./entry";
export { Request, Header } from "./request";
export { Config, ConfigU64 } from "./config";
export { Outcome } from "./outcome";
export { Identity, Claim } from "./identity";
export { Denial } from "./denial";
export { PluginError, ErrorKind } from "./plugin-error";
export { JsonKind, JsonDocument, JsonValue, JsonBool, JsonNumber, JsonString, JsonArray, JsonObject, JsonMember } from "./json/value";
export { JsonParser, parseJson, MAX_DEPTH } from "./json/parser";
export { JsonWriter } from "./json/writer";
export { Alphabet, encode, decode, encodeStandard, decodeStandard, encodeUrl, decodeUrl } from "./base64";
export { Sha256, sha256, SHA256_LENGTH, SHA256_BLOCK } from "./sha256";
export { HmacSha256 } from "./hmac";
export { constantTimeEquals } from "./constant-time";
export { decodeUtf8, encodeUtf8 } from "./utf8";
export { trim, isWhitespace, equalsIgnoreAsciiCase } from "./text";
