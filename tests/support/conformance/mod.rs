//! The cross-language conformance runner: the vectors of `tests/conformance/vectors/` run
//! through the host's public API (`PluginHost::load`, `Plugin::authenticate`, `respond`,
//! `modify`) on every way of obtaining a plugin, one [`PluginSource`] each: the components a
//! guest language builds or the legacy core modules of one family (adapted at load), both a
//! [`staged::StagedGuest`] of some [`form::GuestForm`], and a remote plugin started as a
//! process ([`remote::RemotePython`]). Every way registered in [`registry`] runs the same vectors;
//! what a way cannot do is a declared [`Capabilities`], whose cases are skipped and reported.
//! The format and how to add a way: `tests/conformance/README.md`.

pub mod coverage;
pub mod form;
pub mod outcome;
pub mod registry;
pub mod remote;
pub mod runner;
pub mod source;
pub mod staged;
pub mod vectors;
pub mod wildcards;

pub use source::{Capabilities, PluginSource};
