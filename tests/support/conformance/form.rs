//! The form of binary a guest language builds: a component, or a legacy core module of one
//! family that the host adapts into a component when loading it. A way checks the form of
//! each plugin before running vectors on it, so that a build that changed form is caught.

use mockforge_component_adapters::{classify, Classification, Family};

/// What a guest language's build produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestForm {
    /// A component of the plugin world.
    Component,
    /// A legacy core module of this family (adapted at load).
    Legacy(Family),
}

impl GuestForm {
    /// The form, for reports.
    pub fn describe(&self) -> String {
        match self {
            Self::Component => "component".into(),
            Self::Legacy(family) => format!("legacy core module, family {family}"),
        }
    }

    /// Whether `bytes` is a binary of this form, or what it is instead.
    pub fn check(&self, bytes: &[u8]) -> Result<(), String> {
        let found = match classify(bytes).map_err(|e| e.to_string())? {
            Classification::Component => Self::Component,
            Classification::Legacy(legacy) => Self::Legacy(legacy.family),
        };
        if found == *self {
            return Ok(());
        }
        Err(format!("a {}, not a {}", found.describe(), self.describe()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace_root;

    #[test]
    fn a_binary_of_another_form_is_named() {
        let component = wat::parse_str("(component)").unwrap();
        assert_eq!(GuestForm::Component.check(&component), Ok(()));
        let legacy =
            wat::parse_file(workspace_root().join("tests/fixtures/legacy/allow.wat")).unwrap();
        assert_eq!(GuestForm::Legacy(Family::J).check(&legacy), Ok(()));
        let err = GuestForm::Legacy(Family::G).check(&legacy).unwrap_err();
        assert!(
            err.contains("family J") && err.contains("not a legacy core module, family G"),
            "{err}"
        );
        let err = GuestForm::Legacy(Family::J).check(&component).unwrap_err();
        assert!(err.starts_with("a component, not a legacy"), "{err}");
        assert!(GuestForm::Component.check(b"not wasm").is_err());
    }
}
