use crate::Identity;

impl Identity {
    /// An identity for `subject` with nothing else known.
    pub fn new(subject: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            username: None,
            email: None,
            display_name: None,
            roles: Vec::new(),
            groups: Vec::new(),
            claims: Vec::new(),
        }
    }

    /// Set the login or user name.
    pub fn with_username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Set the e-mail address.
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Set the human-readable name.
    pub fn with_display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }

    /// Add roles, after any already set.
    pub fn with_roles<I: IntoIterator<Item = S>, S: Into<String>>(mut self, roles: I) -> Self {
        self.roles.extend(roles.into_iter().map(Into::into));
        self
    }

    /// Add groups, after any already set.
    pub fn with_groups<I: IntoIterator<Item = S>, S: Into<String>>(mut self, groups: I) -> Self {
        self.groups.extend(groups.into_iter().map(Into::into));
        self
    }

    /// Add claim `name` whose value is the JSON text `json` (a JSON string keeps its quotes).
    pub fn with_claim(mut self, name: impl Into<String>, json: impl Into<String>) -> Self {
        self.claims.push((name.into(), json.into()));
        self
    }
}
