package mockforge

// HashAlgorithm is a digest function of the host's Digest and HMAC.
type HashAlgorithm uint8

// The digest functions, numbered as the contract numbers them.
const (
	SHA256 HashAlgorithm = iota
	SHA384
	SHA512
)

// HMACAlgorithm is the hash of the JWS HMAC algorithm name (HS256, HS384, HS512, in that
// exact case), and whether name is one.
func HMACAlgorithm(name string) (HashAlgorithm, bool) {
	switch name {
	case "HS256":
		return SHA256, true
	case "HS384":
		return SHA384, true
	case "HS512":
		return SHA512, true
	}
	return 0, false
}

// SignatureAlgorithm is a signature scheme of PublicKey.Verify, named as JSON Web
// Algorithms name them.
type SignatureAlgorithm uint8

// The signature schemes, numbered as the contract numbers them.
const (
	RS256 SignatureAlgorithm = iota
	RS384
	RS512
	PS256
	PS384
	PS512
	ES256
	ES384
	EdDSA
)

// SignatureAlgorithms are every signature scheme, in the contract's order.
var SignatureAlgorithms = []SignatureAlgorithm{RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA}

var signatureNames = [...]string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"}

// Name is the algorithm's JWS name (RS256, ..., EdDSA).
func (a SignatureAlgorithm) Name() string {
	if int(a) < len(signatureNames) {
		return signatureNames[a]
	}
	return "unknown"
}

// SignatureAlgorithmNamed is the algorithm of a JWS name in its exact case, and whether name
// is one.
func SignatureAlgorithmNamed(name string) (SignatureAlgorithm, bool) {
	for i, known := range signatureNames {
		if known == name {
			return SignatureAlgorithm(i), true
		}
	}
	return 0, false
}

// KeyType is what kind of public key a PublicKey holds.
type KeyType uint8

// The key types, numbered as the contract numbers them.
const (
	KeyRSA KeyType = iota
	KeyECP256
	KeyECP384
	KeyEd25519
)

// KeyType is the type of key that verifies the algorithm.
func (a SignatureAlgorithm) KeyType() KeyType {
	switch a {
	case ES256:
		return KeyECP256
	case ES384:
		return KeyECP384
	case EdDSA:
		return KeyEd25519
	}
	return KeyRSA
}
