#!/usr/bin/env python3
"""Writes the test keys (once) and the 0.2 conformance vectors.

    python3 tests/conformance/keys/make_vectors.py

- Keys: every `<name>.private.pem` missing from this folder is generated, with its
  `<name>.public.pem`; existing keys are kept, so that a rerun changes no key. `jwks.json` and
  `rsa-1.pkcs1.public.pem` are derived from them on every run. They are TEST keys, public in
  this repository: never trust them for anything.
- Vectors: `../vectors/0.2/{auth-jwt,auth-trivial,response-template,kv-crud}.json` are written
  whole. The 0.1 cases of auth-jwt and auth-trivial (`../vectors/0.1/`, frozen) are carried over
  with the 0.2 changes (claims as a JSON object, abstain when there is no credential of the
  plugin's scheme); the others are made here. Tokens are signed here: HMAC with Python's `hmac`,
  RSA, ECDSA and Ed25519 with the `cryptography` package (RSA PKCS#1 v1.5, deterministic ECDSA
  and Ed25519 give the same tokens on every run; RSA-PSS is randomized, so PS* tokens change,
  and stay valid).

Valid tokens expire at 4102444800 (2100-01-01); expired ones expired at 946684800 (2000-01-01).
The expectations are those of the Rust reference plugins (guests/rust/plugins/*/README.md).
"""

import base64
import copy
import hashlib
import hmac
import json
import pathlib
import urllib.parse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

KEYS = pathlib.Path(__file__).resolve().parent
VECTORS = KEYS.parent / "vectors"
V01 = VECTORS / "0.1"
V02 = VECTORS / "0.2"

VALID_EXP = 4102444800
PAST_EXP = 946684800
DEMO_SECRET = "mockforge-demo-secret"
CHALLENGE = 'Bearer realm="mockforge", error="invalid_token"'
NO_TOKEN_CHALLENGE = 'Bearer realm="mockforge"'
ABSTAIN = {"abstain": {}}
JSON_HEADERS = [["content-type", "application/json"]]

# ---------------------------------------------------------------------------------------------
# Keys


def generate(name):
    if name.startswith("rsa-1024"):
        return rsa.generate_private_key(public_exponent=65537, key_size=1024)
    if name.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if name == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if name == "ec-p384":
        return ec.generate_private_key(ec.SECP384R1())
    if name == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(name)


def load_or_make(name):
    private_path = KEYS / f"{name}.private.pem"
    public_path = KEYS / f"{name}.public.pem"
    if private_path.exists():
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    else:
        key = generate(name)
        private_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    public_path.write_bytes(public_pem(key))
    return key


def public_pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_bytes(n, size=None):
    size = size or (n.bit_length() + 7) // 8
    return n.to_bytes(size, "big")


def jwk(key, kid=None, alg=None):
    public = key.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        numbers = public.public_numbers()
        out = {"kty": "RSA", "n": b64u(int_bytes(numbers.n)), "e": b64u(int_bytes(numbers.e))}
    elif isinstance(public, ec.EllipticCurvePublicKey):
        numbers = public.public_numbers()
        size = (public.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384"}[public.curve.name]
        out = {
            "kty": "EC",
            "crv": crv,
            "x": b64u(int_bytes(numbers.x, size)),
            "y": b64u(int_bytes(numbers.y, size)),
        }
    else:
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        out = {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw)}
    if kid is not None:
        out["kid"] = kid
    out["use"] = "sig"
    if alg is not None:
        out["alg"] = alg
    return out


def jwks(*keys):
    return compact({"keys": list(keys)})


K = {
    name: load_or_make(name)
    for name in ["rsa-1", "rsa-2", "rsa-1024", "ec-p256", "ec-p384", "ed25519"]
}
PEM = {name: public_pem(key).decode() for name, key in K.items()}
PKCS1_PEM = (
    K["rsa-1"]
    .public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    .decode()
)
(KEYS / "rsa-1.pkcs1.public.pem").write_text(PKCS1_PEM)
PRIVATE_PEM_EC = (KEYS / "ec-p256.private.pem").read_text()
JWKS = jwks(
    jwk(K["rsa-1"], "rsa-1"),
    jwk(K["rsa-2"], "rsa-2"),
    jwk(K["ec-p256"], "ec-p256"),
    jwk(K["ec-p384"], "ec-p384"),
    jwk(K["ed25519"], "ed25519"),
)
(KEYS / "jwks.json").write_text(json.dumps(json.loads(JWKS), indent=2) + "\n")

# ---------------------------------------------------------------------------------------------
# Tokens


def hs(secret, digest):
    return lambda data: hmac.new(secret, data, digest).digest()


def rs(key, hash_class):
    return lambda data: K[key].sign(data, padding.PKCS1v15(), hash_class())


def ps(key, hash_class):
    return lambda data: K[key].sign(
        data,
        padding.PSS(mgf=padding.MGF1(hash_class()), salt_length=hash_class.digest_size),
        hash_class(),
    )


def es(key, hash_class, der=False):
    def sign(data):
        signature = K[key].sign(data, ec.ECDSA(hash_class(), deterministic_signing=True))
        if der:
            return signature
        r, s = decode_dss_signature(signature)
        size = (K[key].curve.key_size + 7) // 8
        return int_bytes(r, size) + int_bytes(s, size)

    return sign


def eddsa(key):
    return lambda data: K[key].sign(data)


SIGNERS = {
    "HS256": lambda: hs(DEMO_SECRET.encode(), hashlib.sha256),
    "HS384": lambda: hs(DEMO_SECRET.encode(), hashlib.sha384),
    "HS512": lambda: hs(DEMO_SECRET.encode(), hashlib.sha512),
    "RS256": lambda: rs("rsa-1", hashes.SHA256),
    "RS384": lambda: rs("rsa-1", hashes.SHA384),
    "RS512": lambda: rs("rsa-1", hashes.SHA512),
    "PS256": lambda: ps("rsa-1", hashes.SHA256),
    "PS384": lambda: ps("rsa-1", hashes.SHA384),
    "PS512": lambda: ps("rsa-1", hashes.SHA512),
    "ES256": lambda: es("ec-p256", hashes.SHA256),
    "ES384": lambda: es("ec-p384", hashes.SHA384),
    "EdDSA": lambda: eddsa("ed25519"),
}


def token(header, payload, sign):
    """A compact JWS of `header` and `payload` (dicts, or exact JSON text) signed by `sign`."""
    header = header if isinstance(header, str) else compact(header)
    payload = payload if isinstance(payload, str) else compact(payload)
    signing_input = b64u(header.encode()) + "." + b64u(payload.encode())
    return signing_input + "." + b64u(sign(signing_input.encode()))


def describe(header, payload, how):
    header = header if isinstance(header, str) else compact(header)
    payload = payload if isinstance(payload, str) else compact(payload)
    return f"token: header {header}, payload {payload}, {how}"


def bearer(tok):
    return {"method": "GET", "path": "/orders", "headers": [["Authorization", f"Bearer {tok}"]]}


def deny(reason):
    challenge = NO_TOKEN_CHALLENGE if reason == "missing bearer token" else CHALLENGE
    return {"deny": {"status": 401, "reason": reason, "headers": [["WWW-Authenticate", challenge]]}}


def allow(subject, claims, **fields):
    return {"allow": {"subject": subject, **fields, "claims": claims}}


# ---------------------------------------------------------------------------------------------
# auth-jwt


def credential_absent(headers):
    """Whether auth-jwt abstains on these headers: no Bearer scheme in the first
    Authorization header (its README's rule)."""
    values = [value for name, value in headers if name.lower() == "authorization"]
    if not values:
        return True
    value = values[0].strip()
    scheme = value.split(" ", 1)[0]
    return scheme.lower() != "bearer"


RENAMED = {
    "no Authorization header": "no Authorization header: abstain",
    "another scheme": "another scheme: abstain",
    "an empty header": "an empty header: abstain",
    "a tab after the scheme is not a separator": "a tab after the scheme is not a separator: no Bearer scheme, abstain",
    "claims are passed on as compact JSON": "claims are the payload whatever its spacing",
    "numbers are re-encoded as the reference's JSON serializer writes them": "numbers keep their values",
}


def carried_over(path, rename=None, abstains=None):
    """The 0.1 cases of `path` with claims as one object and abstentions where 0.2 abstains."""
    cases = []
    for case in json.loads(path.read_text()):
        case = copy.deepcopy(case)
        case["name"] = (rename or {}).get(case["name"], case["name"])
        expect = case["expect"]
        if "allow" in expect:
            claims = {}
            for name, text in expect["allow"]["claims"]:
                claims[name] = json.loads(text)
            expect["allow"]["claims"] = claims
        if abstains and "error" not in expect and abstains(case["request"].get("headers", [])):
            case["expect"] = ABSTAIN
        cases.append(case)
    return cases


def signed(name, alg, payload, config=None, header=None, sign=None, how=None, kid=None):
    """A case with a token signed with `alg` by the key SIGNERS gives (or `sign`)."""
    header = header or {"alg": alg, "typ": "JWT", **({"kid": kid} if kid else {})}
    sign = sign or SIGNERS[alg]()
    how = how or f"{alg} with {key_name(alg)}"
    case = {"name": name, "comment": describe(header, payload, how)}
    if config:
        case["config"] = config
    case["request"] = bearer(token(header, payload, sign))
    return case


SIGNING_KEY = {"R": "rsa-1", "P": "rsa-1", "ES256": "ec-p256", "ES384": "ec-p384", "EdDSA": "ed25519"}


def key_name(alg):
    if alg.startswith("HS"):
        return f"'{DEMO_SECRET}'"
    return SIGNING_KEY.get(alg) or SIGNING_KEY[alg[0]]


# Configurations: only the public key(s) named (the demo secret removed, so HS256 is not
# accepted unless listed).
def with_pem(name, **more):
    return {"secret": None, "public-key": PEM[name], **more}


def with_jwks(text=None, **more):
    return {"secret": None, "jwks": text or JWKS, **more}


def expect(case, outcome):
    case["expect"] = outcome
    return case


def auth_jwt_cases():
    cases = carried_over(V01 / "auth-jwt.json", RENAMED, credential_absent)
    u = {"sub": "u", "exp": VALID_EXP}
    u_claims = {"sub": "u", "exp": VALID_EXP}
    rich = {
        "sub": "user-7",
        "preferred_username": "grace",
        "email": "grace@example.com",
        "name": "Grace Hopper",
        "roles": ["admin"],
        "groups": ["navy", 1],
        "tenant": {"id": 7, "tags": ["a", "b"]},
        "exp": VALID_EXP,
    }
    rich_allow = allow(
        "user-7",
        rich,
        username="grace",
        email="grace@example.com",
        display_name="Grace Hopper",
        roles=["admin"],
        groups=["navy"],
    )
    cases += [
        expect(
            {"name": "a Basic credential: abstain", "request": {"method": "GET", "path": "/orders", "headers": [["Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"]]}},
            ABSTAIN,
        ),
        expect(
            {"name": "a Bearer credential after a Basic one does not count: abstain", "request": {"method": "GET", "path": "/orders", "headers": [["Authorization", "Basic YQ=="], ["Authorization", "Bearer x.y.z"]]}},
            ABSTAIN,
        ),
        expect(
            {"name": "no credential with public keys configured: abstain", "config": with_jwks(), "request": {"method": "GET", "path": "/orders", "headers": []}},
            ABSTAIN,
        ),
        # HMAC beyond HS256: only when listed.
        expect(
            signed("HS384 when listed", "HS384", u, config={"algorithms": "HS384,HS512"}),
            allow("u", u_claims),
        ),
        expect(
            signed("HS512 when listed", "HS512", u, config={"algorithms": " HS512 "}),
            allow("u", u_claims),
        ),
        expect(
            signed("HS384 is not accepted by default", "HS384", u),
            deny("unsupported algorithm"),
        ),
        expect(
            signed("HS256 when only HS512 is listed", "HS256", u, config={"algorithms": "HS512"}),
            deny("unsupported algorithm"),
        ),
        # Public-key algorithms, each with its PEM key.
        expect(signed("RS256 with a PEM key", "RS256", rich, config=with_pem("rsa-1")), rich_allow),
        expect(signed("RS384 with a PEM key", "RS384", u, config=with_pem("rsa-1")), allow("u", u_claims)),
        expect(signed("RS512 with a PEM key", "RS512", u, config=with_pem("rsa-1")), allow("u", u_claims)),
        expect(signed("PS256 with a PEM key", "PS256", u, config=with_pem("rsa-1")), allow("u", u_claims)),
        expect(signed("PS384 with a PEM key", "PS384", u, config=with_pem("rsa-1")), allow("u", u_claims)),
        expect(signed("PS512 with a PEM key", "PS512", u, config=with_pem("rsa-1")), allow("u", u_claims)),
        expect(signed("ES256 with a PEM key", "ES256", rich, config=with_pem("ec-p256")), rich_allow),
        expect(signed("ES384 with a PEM key", "ES384", u, config=with_pem("ec-p384")), allow("u", u_claims)),
        expect(signed("EdDSA with a PEM key", "EdDSA", rich, config=with_pem("ed25519")), rich_allow),
        expect(
            signed("RS256 with a PKCS#1 PEM key", "RS256", u, config={"secret": None, "public-key": PKCS1_PEM}),
            allow("u", u_claims),
        ),
        expect(
            signed("a public key beside the secret: both kinds accepted (RS256)", "RS256", u, config={"public-key": PEM["rsa-1"]}),
            allow("u", u_claims),
        ),
        expect(
            signed("a public key beside the secret: both kinds accepted (HS256)", "HS256", u, config={"public-key": PEM["rsa-1"]}),
            allow("u", u_claims),
        ),
        # Refusals.
        expect(
            signed("an expired RS256 token", "RS256", {"sub": "u", "exp": PAST_EXP}, config=with_pem("rsa-1")),
            deny("token expired"),
        ),
        expect(
            signed("an expired EdDSA token", "EdDSA", {"sub": "u", "exp": PAST_EXP}, config=with_pem("ed25519")),
            deny("token expired"),
        ),
        expect(
            signed("RS256 signed with another key", "RS256", u, config=with_pem("rsa-1"), sign=rs("rsa-2", hashes.SHA256), how="RS256 with rsa-2"),
            deny("invalid signature"),
        ),
        expect(
            signed("ES256 signed with another curve's key size", "ES256", u, config=with_pem("ec-p256"), sign=es("ec-p384", hashes.SHA256), how="ECDSA P-384 with SHA-256 (a 96-byte signature)"),
            deny("invalid signature"),
        ),
        expect(
            signed("ES256 with a DER signature instead of r || s", "ES256", u, config=with_pem("ec-p256"), sign=es("ec-p256", hashes.SHA256, der=True), how="ES256 with ec-p256, DER-encoded"),
            deny("invalid signature"),
        ),
        expect(
            signed("EdDSA with a tampered payload", "EdDSA", u, config=with_pem("ed25519"), sign=lambda data: K["ed25519"].sign(data.replace(b".", b".e", 1)), how="EdDSA with ed25519 over another message"),
            deny("invalid signature"),
        ),
        expect(
            signed("RS256 signed as PS256", "RS256", u, config=with_pem("rsa-1"), sign=ps("rsa-1", hashes.SHA256), how="PS256 with rsa-1, labelled RS256"),
            deny("invalid signature"),
        ),
        # Algorithm confusion.
        expect(
            signed(
                "alg confusion: HS256 keyed with the RSA public key's PEM text",
                "HS256",
                {"sub": "admin", "exp": VALID_EXP},
                config=with_pem("rsa-1"),
                sign=hs(PEM["rsa-1"].encode(), hashlib.sha256),
                how="HS256 with the text of rsa-1.public.pem as the secret",
            ),
            deny("unsupported algorithm"),
        ),
        expect(
            signed(
                "alg confusion with a secret also set: the public key is never an HMAC key",
                "HS256",
                {"sub": "admin", "exp": VALID_EXP},
                config={"public-key": PEM["rsa-1"]},
                sign=hs(PEM["rsa-1"].encode(), hashlib.sha256),
                how="HS256 with the text of rsa-1.public.pem as the secret",
            ),
            deny("invalid signature"),
        ),
        expect(
            {
                "name": "alg none with a public key configured",
                "comment": describe({"alg": "none"}, u, "no signature"),
                "config": with_pem("rsa-1"),
                "request": bearer(token({"alg": "none"}, u, lambda data: b"")),
            },
            deny("unsupported algorithm"),
        ),
        expect(
            signed("ES256 when only an RSA key is configured", "ES256", u, config=with_pem("rsa-1")),
            deny("unsupported algorithm"),
        ),
        expect(
            signed("RS256 when only an EC key is configured", "RS256", u, config=with_pem("ec-p256")),
            deny("unsupported algorithm"),
        ),
        expect(
            signed("EdDSA labelled ES256 for an Ed25519 key", "ES256", u, config=with_pem("ed25519"), sign=eddsa("ed25519"), how="EdDSA with ed25519, labelled ES256"),
            deny("unsupported algorithm"),
        ),
        expect(
            signed("RS256 outside the listed algorithms", "RS256", u, config=with_pem("rsa-1", algorithms="PS256")),
            deny("unsupported algorithm"),
        ),
        expect(
            signed("PS256 inside the listed algorithms", "PS256", u, config=with_pem("rsa-1", algorithms="RS256, PS256")),
            allow("u", u_claims),
        ),
        expect(
            signed("an algorithm name in another case", "RS256", u, config=with_pem("rsa-1"), header={"alg": "rs256"}, sign=rs("rsa-1", hashes.SHA256), how="RS256 with rsa-1"),
            deny("unsupported algorithm"),
        ),
        # Keys chosen from a JWKS.
        expect(signed("JWKS: the kid chooses rsa-2", "RS256", u, config=with_jwks(), sign=rs("rsa-2", hashes.SHA256), kid="rsa-2", how="RS256 with rsa-2"), allow("u", u_claims)),
        expect(signed("JWKS: ES256 by kid", "ES256", u, config=with_jwks(), kid="ec-p256"), allow("u", u_claims)),
        expect(signed("JWKS: ES384 by kid", "ES384", u, config=with_jwks(), kid="ec-p384"), allow("u", u_claims)),
        expect(signed("JWKS: EdDSA by kid", "EdDSA", rich, config=with_jwks(), kid="ed25519"), rich_allow),
        expect(
            signed("JWKS: a kid naming another key of the right type", "RS256", u, config=with_jwks(), sign=rs("rsa-2", hashes.SHA256), kid="rsa-1", how="RS256 with rsa-2"),
            deny("invalid signature"),
        ),
        expect(
            signed("JWKS: an unknown kid", "RS256", u, config=with_jwks(), kid="rsa-9"),
            deny("invalid signature"),
        ),
        expect(
            signed("JWKS: a kid naming a key of another type", "ES256", u, config=with_jwks(), kid="rsa-1"),
            deny("unsupported algorithm"),
        ),
        expect(
            signed("JWKS: no kid tries every key of the type", "RS256", u, config=with_jwks(), sign=rs("rsa-2", hashes.SHA256), how="RS256 with rsa-2, no kid"),
            allow("u", u_claims),
        ),
        expect(
            signed("JWKS: no kid and no key verifies", "RS256", u, config=with_jwks(), sign=rs("rsa-1024", hashes.SHA256), how="RS256 with rsa-1024 (not in the set)"),
            deny("invalid signature"),
        ),
        expect(
            signed("JWKS: a kid that is not a string counts as none", "EdDSA", u, config=with_jwks(), header={"alg": "EdDSA", "kid": 7}),
            allow("u", u_claims),
        ),
        expect(
            signed("JWKS: a key without a kid serves tokens with any kid", "ES256", u, config=with_jwks(jwks(jwk(K["ec-p256"])), algorithms="ES256"), kid="anything"),
            allow("u", u_claims),
        ),
        expect(
            signed("JWKS: a key's own alg pins it (PS256 on an RS256 key)", "PS256", u, config=with_jwks(jwks(jwk(K["rsa-1"], "rsa-1", "RS256")), algorithms="RS256,PS256"), kid="rsa-1"),
            deny("unsupported algorithm"),
        ),
        expect(
            signed("JWKS: a key's own alg allows that alg", "RS256", u, config=with_jwks(jwks(jwk(K["rsa-1"], "rsa-1", "RS256"))), kid="rsa-1"),
            allow("u", u_claims),
        ),
        expect(
            signed("JWKS beside a PEM key", "EdDSA", u, config={"secret": None, "public-key": PEM["rsa-2"], "jwks": jwks(jwk(K["ed25519"], "ed"))}, kid="ed"),
            allow("u", u_claims),
        ),
        expect(
            signed("JWKS: the HS256 demo token is refused without a secret", "HS256", u, config=with_jwks()),
            deny("unsupported algorithm"),
        ),
        # Configuration errors.
        {"name": "a public key that is not PEM is a configuration error", "config": {"public-key": "not a key"}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "a private key as public-key is a configuration error", "config": {"public-key": PRIVATE_PEM_EC}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "an RSA key under 2048 bits is a configuration error", "config": {"public-key": PEM["rsa-1024"]}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "a JWKS that is not JSON is a configuration error", "config": {"jwks": "{keys"}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "a JWKS without keys is a configuration error", "config": {"jwks": "{\"keys\":[]}"}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "a JWKS that is an array is a configuration error", "config": {"jwks": "[]"}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "a JWKS key the host cannot read is a configuration error", "config": {"jwks": jwks({"kty": "oct", "k": "c2VjcmV0", "kid": "s"})}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "a JWKS file that cannot be read is a configuration error", "config": {"jwks-file": "/no/such/jwks.json"}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "an unknown algorithm is a configuration error", "config": {"algorithms": "HS256,XS256"}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "alg none in the list is a configuration error", "config": {"algorithms": "none"}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "an empty algorithm list is a configuration error", "config": {"algorithms": " , "}, "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "HS256 listed without a secret is a configuration error", "config": with_pem("rsa-1", algorithms="RS256,HS256"), "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "ES256 listed without an EC key is a configuration error", "config": with_pem("rsa-1", algorithms="ES256"), "request": bearer("x.y.z"), "expect": {"error": "invalid-config"}},
        {"name": "no key at all is a configuration error", "config": {"secret": None}, "request": {"method": "GET", "path": "/orders", "headers": [["Authorization", "Basic YQ=="]]}, "expect": {"error": "invalid-config"}},
    ]
    return cases


# ---------------------------------------------------------------------------------------------
# auth-trivial


def auth_trivial_cases():
    def absent(headers):
        return not any(name.lower() == "authorization" for name, _ in headers)

    cases = carried_over(V01 / "auth-trivial.json", {"no header": "no header: abstain"}, absent)
    cases.append(
        {
            "name": "another header only: abstain",
            "request": {"method": "GET", "path": "/orders", "headers": [["x-authorization", "Bearer good"]]},
            "expect": ABSTAIN,
        }
    )
    return cases


# ---------------------------------------------------------------------------------------------
# response-template

DEFAULT_BODY = {"id": "42", "method": "GET", "agent": "", "request_id": "<uuid>", "at": "<rfc3339>"}


def users(path_id, **request):
    return {
        "method": "GET",
        "path": f"/users/{path_id}",
        "route": "/users/{id}",
        "path_params": [["id", path_id]],
        "headers": [],
        **request,
    }


def responds(body=None, body_json=None, status=200):
    out = {"status": status, "headers": JSON_HEADERS}
    if body is not None:
        out["body"] = body
    else:
        out["body_json"] = body_json
    return {"respond": out}


def identity(subject, claims, username=None, email=None, display_name=None, roles=(), groups=()):
    """An identity as the embedder passes it to response plugins (every field given)."""
    return {
        "subject": subject,
        "username": username,
        "email": email,
        "display_name": display_name,
        "roles": list(roles),
        "groups": list(groups),
        "claims": claims,
    }


IDENTITY = identity(
    "user-7",
    {"tenant": "acme \"corp\"", "scope": ["read", "write"], "n": 7, "ok": True, "none": None},
    username="grace",
    email="grace@example.com",
    display_name="Grace Hopper",
    roles=["admin"],
    groups=["navy"],
)


CARRIED_TEMPLATE_CASES = [
    "the staged route renders its template",
    "a missing header is an empty string",
    "the query string is not part of the path",
    "a non-ASCII path parameter",
    "a path parameter with a quote and a backslash is escaped",
    "an empty last segment is an empty parameter",
    "the method is as sent",
    "duplicate headers: the first counts",
    "100 headers",
    "a non-ASCII header value",
    "a 1 MiB body",
    "an empty body",
    "values inside strings are JSON-escaped",
    "values outside strings are inserted as they are, absent ones as null",
    "escaped quotes in the template keep track of strings",
    "a placeholder after a backslash leaves the next character escaped",
    "query parameters: first value, decoded, missing ones empty",
    "uuid is the same throughout a response, now and now_unix agree",
    "a template that is not JSON is still rendered",
    "the root route",
    "a route with an empty segment",
    "a status from 100 to 599 is accepted",
    "an unknown placeholder is a configuration error",
    "an unknown placeholder family is a configuration error",
    "an unclosed placeholder is a configuration error",
    "no template is a configuration error",
    "a status above 599 is a configuration error",
    "a status below 100 is a configuration error",
    "a status beyond u16 is a configuration error",
    "a status that is not a number is a configuration error",
    "a bad template is not read for a declined path",
    "modify adds its header and keeps the rest",
    "modify keeps a binary body and works on any path",
    "modify keeps an existing header of the same name",
    "modify works with a broken configuration",
]


def carried_template_cases():
    """The 0.1 cases that still hold, with the route the host would have matched: the
    configured one (`/users/{id}` by default, its `id` from the path's last segment) when
    the path fits it, else the path itself as a route without parameters."""
    by_name = {case["name"]: case for case in json.loads((V01 / "response-template.json").read_text())}
    cases = []
    for name in CARRIED_TEMPLATE_CASES:
        case = copy.deepcopy(by_name[name])
        request = case["request"]
        route = case.get("config", {}).get("route") or "/users/{id}"
        if route == "/users/{id}" and request["path"].startswith("/users/"):
            request["route"] = route
            request["path_params"] = [["id", urllib.parse.unquote(request["path"][len("/users/"):])]]
        elif route == request["path"] or not request["path"].startswith("/users/"):
            request["route"] = request["path"]
        else:
            raise ValueError(f"no route for {name}")
        cases.append(case)
    return cases


def response_template_cases():
    ident_template = (
        '{"sub": "{{identity.subject}}", "user": "{{identity.username}}", '
        '"tenant": "{{identity.claims.tenant}}", "scope": {{identity.claims.scope}}, '
        '"scope_s": "{{identity.claims.scope}}", "n": {{identity.claims.n}}, '
        '"ok": {{identity.claims.ok}}, "none": {{identity.claims.none}}, '
        '"none_s": "{{identity.claims.none}}", "missing": {{identity.claims.missing}}, '
        '"missing_s": "{{identity.claims.missing}}"}'
    )
    return carried_template_cases() + [
        {
            "name": "path parameters come decoded from the host, not from the path",
            "request": {**users("J%C3%BCrgen%20X"), "path_params": [["id", "Jürgen X"]]},
            "expect": responds(body_json={**DEFAULT_BODY, "id": "Jürgen X"}),
        },
        {
            "name": "another route is declined",
            "request": {"method": "GET", "path": "/orders/42", "route": "/orders/{id}", "path_params": [["id", "42"]], "headers": []},
            "expect": {"respond": None},
        },
        {
            "name": "the path alone does not match: no route is declined",
            "request": {"method": "GET", "path": "/users/42", "headers": []},
            "expect": {"respond": None},
        },
        {
            "name": "routes compare exactly",
            "request": {"method": "GET", "path": "/users/42", "route": "/users/{ID}", "path_params": [["ID", "42"]], "headers": []},
            "expect": {"respond": None},
        },
        {
            "name": "without a configured route every request is answered",
            "config": {"route": None},
            "request": {"method": "GET", "path": "/anything", "headers": [["user-agent", "curl/8"]]},
            "expect": responds(body_json={**DEFAULT_BODY, "id": "", "agent": "curl/8"}),
        },
        {
            "name": "without a configured route any route is answered",
            "config": {"route": None, "template": '{"x": "{{path.x}}", "id": {{path.id}}}'},
            "request": {"method": "GET", "path": "/a/1", "route": "/a/{x}", "path_params": [["x", "1"]], "headers": []},
            "expect": responds(body='{"x": "1", "id": null}'),
        },
        {
            "name": "several path parameters, the path, spaces in placeholders and a status",
            "config": {
                "route": "/a/{x}/b/{y}",
                "status": " 201 ",
                "template": '{"x": "{{path.x}}", "y": "{{ path.y }}", "path": "{{path}}", "method": "{{\tmethod }}"}',
            },
            "request": {"method": "PATCH", "path": "/a/x%2Fy/b/%C3%BC", "route": "/a/{x}/b/{y}", "path_params": [["x", "x/y"], ["y", "ü"]], "headers": []},
            "expect": responds(body_json={"x": "x/y", "y": "ü", "path": "/a/x%2Fy/b/%C3%BC", "method": "PATCH"}, status=201),
        },
        {
            "name": "an absent path parameter is empty in a string and null outside",
            "config": {"template": '{"a": "{{path.nope}}", "b": {{path.nope}}}'},
            "request": users("1"),
            "expect": responds(body='{"a": "", "b": null}'),
        },
        {
            "name": "identity placeholders",
            "config": {"template": ident_template},
            "request": users("1", identity=IDENTITY),
            "expect": responds(
                body='{"sub": "user-7", "user": "grace", "tenant": "acme \\"corp\\"", '
                '"scope": ["read","write"], "scope_s": "[\\"read\\",\\"write\\"]", "n": 7, '
                '"ok": true, "none": null, "none_s": "null", "missing": null, "missing_s": ""}'
            ),
        },
        {
            "name": "an object claim is inserted as compact JSON",
            "config": {"template": '{"t": {{identity.claims.tenant}}}'},
            "request": users("1", identity=identity("s", {"tenant": {"id": 7, "tags": ["a"]}})),
            "expect": responds(body_json={"t": {"id": 7, "tags": ["a"]}}),
        },
        {
            "name": "a claim name may hold dots",
            "config": {"template": '{"v": "{{identity.claims.a.b}}"}'},
            "request": users("1", identity=identity("s", {"a.b": "dotted", "a": {"b": "nested"}})),
            "expect": responds(body='{"v": "dotted"}'),
        },
        {
            "name": "no identity: identity placeholders are absent",
            "config": {"template": ident_template},
            "request": users("1"),
            "expect": responds(
                body='{"sub": "", "user": "", "tenant": "", "scope": null, "scope_s": "", '
                '"n": null, "ok": null, "none": null, "none_s": "", "missing": null, "missing_s": ""}'
            ),
        },
        {
            "name": "an identity without a username",
            "config": {"template": '{"sub": "{{identity.subject}}", "user": {{identity.username}}}'},
            "request": users("1", identity=identity("svc", {})),
            "expect": responds(body='{"sub": "svc", "user": null}'),
        },
        {
            "name": "an unknown identity field is a configuration error",
            "config": {"template": '{"a": "{{identity.email}}"}'},
            "request": users("1", identity=IDENTITY),
            "expect": {"error": "invalid-config"},
        },
    ]


# ---------------------------------------------------------------------------------------------
# kv-crud: the cases run in order on one plugin, so the store carries from one to the next.


def items(method, body=None):
    request = {"method": method, "path": "/items", "route": "/items", "headers": []}
    if body is not None:
        request["body"] = body
        request["headers"] = [["content-type", "application/json"]]
    return request


def item(method, item_id):
    return {"method": method, "path": f"/items/{item_id}", "route": "/items/{id}", "path_params": [["id", item_id]], "headers": []}


def answer(status, body_json=None, body=None, location=None):
    headers = JSON_HEADERS + ([["location", location]] if location else [])
    out = {"status": status, "headers": headers}
    if body is not None:
        out["body"] = body
    else:
        out["body_json"] = body_json
    return {"respond": out}


NOT_FOUND = answer(404, {"error": "not found"})
NOT_AN_OBJECT = answer(400, {"error": "body must be a JSON object"})
ADA = {"name": "ada", "tags": ["x", 1], "nested": {"k": None}, "id": "1"}
BOB = {"name": "bob", "id": "2"}
CAROL = {"name": "carol", "id": "3"}


def kv_crud_cases():
    return [
        {"name": "an empty collection lists nothing", "request": items("GET"), "expect": answer(200, [])},
        {"name": "an absent item is not found", "request": item("GET", "1"), "expect": NOT_FOUND},
        {
            "name": "POST creates item 1",
            "request": items("POST", '{"name": "ada", "tags": ["x", 1], "nested": {"k": null}}'),
            "expect": answer(201, ADA, location="/items/1"),
        },
        {
            "name": "POST creates item 2, its own id replaced",
            "request": items("POST", '{"name": "bob", "id": "zzz"}'),
            "expect": answer(201, BOB, location="/items/2"),
        },
        {"name": "GET reads item 1 back", "request": item("GET", "1"), "expect": answer(200, ADA)},
        {"name": "GET lists both in id order", "request": items("GET"), "expect": answer(200, [ADA, BOB])},
        {"name": "a JSON array is refused", "request": items("POST", "[1, 2]"), "expect": NOT_AN_OBJECT},
        {"name": "a JSON string is refused", "request": items("POST", '"ada"'), "expect": NOT_AN_OBJECT},
        {"name": "a body that is not JSON is refused", "request": items("POST", "name=ada"), "expect": NOT_AN_OBJECT},
        {"name": "an empty body is refused", "request": items("POST", ""), "expect": NOT_AN_OBJECT},
        {"name": "DELETE removes item 1", "request": item("DELETE", "1"), "expect": answer(204, body="")},
        {"name": "a deleted item is not found", "request": item("GET", "1"), "expect": NOT_FOUND},
        {"name": "deleting it again is not found", "request": item("DELETE", "1"), "expect": NOT_FOUND},
        {"name": "the list no longer holds it", "request": items("GET"), "expect": answer(200, [BOB])},
        {
            "name": "ids are never reused, and refused bodies used none",
            "request": items("POST", '{"name": "carol"}'),
            "expect": answer(201, CAROL, location="/items/3"),
        },
        {"name": "the list is in id order", "request": items("GET"), "expect": answer(200, [BOB, CAROL])},
        {"name": "an id with a leading zero names no item", "request": item("GET", "02"), "expect": NOT_FOUND},
        {"name": "an id that is not a number names no item", "request": item("GET", "bob"), "expect": NOT_FOUND},
        {"name": "deleting an id that is not a number is not found", "request": item("DELETE", "-2"), "expect": NOT_FOUND},
        {"name": "PUT on an item falls through", "request": item("PUT", "2"), "expect": {"respond": None}},
        {"name": "DELETE on the collection falls through", "request": items("DELETE"), "expect": {"respond": None}},
        {
            "name": "another route falls through",
            "request": {"method": "GET", "path": "/orders", "route": "/orders", "headers": []},
            "expect": {"respond": None},
        },
        {
            "name": "a path like the collection's without its route falls through",
            "request": {"method": "GET", "path": "/items", "headers": []},
            "expect": {"respond": None},
        },
        {
            "name": "another collection's routes fall through",
            "config": {"collection": "/things"},
            "request": items("GET"),
            "expect": {"respond": None},
        },
        {"name": "item 2 is still there", "request": item("GET", "2"), "expect": answer(200, BOB)},
        {
            "name": "modify leaves the response as it is",
            "request": item("GET", "2"),
            "response": {"status": 200, "headers": [["x-a", "1"]], "body": "mock"},
            "expect": {"modify": {"status": 200, "headers": [["x-a", "1"]], "body": "mock"}},
        },
    ]


# ---------------------------------------------------------------------------------------------


def write(name, cases):
    names = [case["name"] for case in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"{name}: duplicate case names {duplicates}"
    order = ["name", "comment", "config", "request", "response", "expect"]
    lines = []
    for case in cases:
        assert set(case) <= set(order), set(case) - set(order)
        fields = [
            f"    {json.dumps(key)}: {json.dumps(case[key], ensure_ascii=False)}"
            for key in order
            if key in case
        ]
        lines.append("  {\n" + ",\n".join(fields) + "\n  }")
    V02.mkdir(parents=True, exist_ok=True)
    (V02 / f"{name}.json").write_text("[\n" + ",\n".join(lines) + "\n]\n")
    print(f"wrote {len(cases)} cases to {V02 / (name + '.json')}")


write("auth-jwt", auth_jwt_cases())
write("auth-trivial", auth_trivial_cases())
write("response-template", response_template_cases())
write("kv-crud", kv_crud_cases())
