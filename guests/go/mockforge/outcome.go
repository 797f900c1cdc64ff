package mockforge

// OutcomeKind says which verdict an Outcome is.
type OutcomeKind uint8

const (
	// OutcomeAbstain: not this plugin's scheme; the chain goes on to the next auth plugin.
	OutcomeAbstain OutcomeKind = iota
	// OutcomeAllow: the request is authenticated as an identity.
	OutcomeAllow
	// OutcomeDeny: the request is refused.
	OutcomeDeny
)

// Denial is why a request was refused and how to answer it.
type Denial struct {
	// Status is the HTTP status to answer with (401, 403, ...).
	Status uint16
	// Reason is a short human-readable reason; it may be shown to the client.
	Reason string
	// Headers are added to the refusal, such as WWW-Authenticate.
	Headers []Header
}

// Outcome is an auth plugin's verdict: Allow, Deny or Abstain make one. The zero Outcome
// abstains.
type Outcome struct {
	// Kind is which verdict this is.
	Kind OutcomeKind
	// Identity is who the request is, for OutcomeAllow.
	Identity Identity
	// Denial is how to refuse the request, for OutcomeDeny.
	Denial Denial
}

// Allow authenticates the request as identity.
func Allow(identity Identity) Outcome {
	return Outcome{Kind: OutcomeAllow, Identity: identity}
}

// Deny refuses the request with status, reason and headers.
func Deny(status uint16, reason string, headers ...Header) Outcome {
	return Outcome{Kind: OutcomeDeny, Denial: Denial{Status: status, Reason: reason, Headers: headers}}
}

// Abstain says the request carries no credentials of this plugin's scheme.
func Abstain() Outcome {
	return Outcome{Kind: OutcomeAbstain}
}
