//go:build wasip1

package mockforge

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"
	"mockforge.dev/component/internal/wit/mockforge_plugin_crypto"
)

// CryptoErrorKind says why the host refused a key or a request for random bytes.
type CryptoErrorKind uint8

const (
	// CryptoInvalidKey: the text is not a public key the host reads.
	CryptoInvalidKey CryptoErrorKind = CryptoErrorKind(mockforge_plugin_crypto.CryptoErrorInvalidKey)
	// CryptoKeyMismatch: the algorithm does not fit the key's type; nothing was tried.
	CryptoKeyMismatch CryptoErrorKind = CryptoErrorKind(mockforge_plugin_crypto.CryptoErrorKeyMismatch)
	// CryptoLimit: a limit of the host was reached (key size, keys held, random bytes).
	CryptoLimit CryptoErrorKind = CryptoErrorKind(mockforge_plugin_crypto.CryptoErrorLimit)
)

// CryptoError is the host's refusal, with its reason.
type CryptoError struct {
	// Kind is why.
	Kind CryptoErrorKind
	// Message is the host's text.
	Message string
}

// Error returns the kind and the host's text.
func (e *CryptoError) Error() string {
	switch e.Kind {
	case CryptoInvalidKey:
		return "invalid key: " + e.Message
	case CryptoKeyMismatch:
		return "key mismatch: " + e.Message
	default:
		return "limit: " + e.Message
	}
}

func cryptoError(err mockforge_plugin_crypto.CryptoError) *CryptoError {
	out := &CryptoError{Kind: CryptoErrorKind(err.Tag())}
	switch err.Tag() {
	case mockforge_plugin_crypto.CryptoErrorInvalidKey:
		out.Message = copyString(err.InvalidKey())
	case mockforge_plugin_crypto.CryptoErrorKeyMismatch:
		out.Message = copyString(err.KeyMismatch())
	default:
		out.Message = copyString(err.Limit())
	}
	return out
}

// Digest is the digest of data under algorithm, computed by the host.
func Digest(algorithm HashAlgorithm, data []byte) []byte {
	defer landingReset()
	return copyBytes(mockforge_plugin_crypto.Digest(uint8(algorithm), data))
}

// HMAC is the HMAC of data under key with algorithm, computed by the host.
func HMAC(algorithm HashAlgorithm, key, data []byte) []byte {
	defer landingReset()
	return copyBytes(mockforge_plugin_crypto.Hmac(uint8(algorithm), key, data))
}

// HMACVerify is whether tag is the HMAC of data under key, compared in constant time by the
// host.
func HMACVerify(algorithm HashAlgorithm, key, data, tag []byte) bool {
	return hmacVerify(algorithm, key, data, tag)
}

// ConstantTimeEqual is whether a and b are equal, in time that depends only on their lengths.
func ConstantTimeEqual(a, b []byte) bool {
	return constantTimeEqual(a, b)
}

// RandomBytes is n bytes from the host's secure random source; at most 4096 at once.
func RandomBytes(n uint32) ([]byte, error) {
	defer landingReset()
	result := mockforge_plugin_crypto.RandomBytes(n)
	if result.IsErr() {
		return nil, cryptoError(result.Err())
	}
	return copyBytes(result.Ok()), nil
}

// PublicKey is a public key the host holds for signature verification. A warm instance keeps
// its keys between calls; Close gives one back to the host.
type PublicKey struct {
	key *mockforge_plugin_crypto.PublicKey
}

func publicKey(result witTypes.Result[*mockforge_plugin_crypto.PublicKey, mockforge_plugin_crypto.CryptoError]) (*PublicKey, error) {
	defer landingReset()
	if result.IsErr() {
		return nil, cryptoError(result.Err())
	}
	return &PublicKey{key: result.Ok()}, nil
}

// PublicKeyFromPEM reads a PEM public key (PUBLIC KEY or RSA PUBLIC KEY).
func PublicKeyFromPEM(pem string) (*PublicKey, error) {
	return publicKey(mockforge_plugin_crypto.PublicKeyFromPem(pem))
}

// PublicKeyFromJWK reads one JSON Web Key holding a public key (kty RSA, EC or OKP).
func PublicKeyFromJWK(jwk string) (*PublicKey, error) {
	return publicKey(mockforge_plugin_crypto.PublicKeyFromJwk(jwk))
}

// Type is the key's type.
func (k *PublicKey) Type() KeyType {
	return KeyType(k.key.KeyType())
}

// Verify is whether signature is a valid signature of message under this key with algorithm;
// a CryptoKeyMismatch error when the algorithm does not fit the key's type.
func (k *PublicKey) Verify(algorithm SignatureAlgorithm, message, signature []byte) (bool, error) {
	defer landingReset()
	result := k.key.Verify(uint8(algorithm), message, signature)
	if result.IsErr() {
		return false, cryptoError(result.Err())
	}
	return result.Ok(), nil
}

// Close gives the key back to the host; the key must not be used afterwards. A key that is
// never closed is held until the instance ends.
func (k *PublicKey) Close() {
	k.key.Drop()
}
