/** One claim of an identity: its name and its value as JSON text. */
export class Claim {
  constructor(public name: string, public json: string) {}
}

/** Who a request is, as an allowing plugin reports it. */
export class Identity {
  /** A username, when known. */
  username: string | null = null;
  /** An email address, when known. */
  email: string | null = null;
  /** A name to show, when known. */
  displayName: string | null = null;
  /** Roles, in order. */
  roles: Array<string> = [];
  /** Groups, in order. */
  groups: Array<string> = [];
  /** Claims, in order; each value is JSON text and is passed on as it is. */
  claims: Array<Claim> = [];

  /** An identity with the stable `subject` (the legacy `user_id`) and nothing else. */
  constructor(public subject: string) {}

  /** Add the claim `name` whose value is the JSON text `json`. */
  withClaim(name: string, json: string): Identity {
    this.claims.push(new Claim(name, json));
    return this;
  }

  /** Add a role. */
  withRole(role: string): Identity {
    this.roles.push(role);
    return this;
  }

  /** Add a group. */
  withGroup(group: string): Identity {
    this.groups.push(group);
    return this;
  }
}
