// Module resolution hooks: `mockforge:plugin/<interface>@0.2.0` and WASI's preopens resolve to
// the host stand-ins in host/.

const HOST = new URL("./host/", import.meta.url);

/** Node's `resolve` hook. */
export async function resolve(specifier, context, next) {
  const wit = /^mockforge:plugin\/([a-z-]+)@0\.2\.0$/.exec(specifier);
  if (wit !== null) return { url: new URL(`${wit[1]}.mjs`, HOST).href, shortCircuit: true };
  if (specifier === "wasi:filesystem/preopens@0.2.12") {
    return { url: new URL("preopens.mjs", HOST).href, shortCircuit: true };
  }
  return next(specifier, context);
}
