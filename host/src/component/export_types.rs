//! The types of a component's exported interfaces, read from the binary (wit-parser's decoder
//! reads the component's type information; function bodies are not looked at) and compared
//! with the WIT of the contract version they name before anything is compiled: an export with the
//! right name and the wrong type is refused at load as the wrong world, in milliseconds,
//! instead of after a compile of seconds (or as a trap on every call).
//!
//! Types are compared by structure: each function's signature is written out with every named
//! type expanded (records, variants and enums with their field and case names; resources by
//! their interface and name), for the WIT and for the component alike.

use std::sync::OnceLock;

use wit_parser::decoding::DecodedWasm;
use wit_parser::{
    Function, Handle, InterfaceId, Resolve, SourceMap, Type, TypeDefKind, TypeOwner, WorldItem,
};

use mockforge_component_adapters::contract::ContractVersion;

use crate::error::{Error, Result};

/// A signature longer than this is not the WIT's (whose longest is a few hundred bytes);
/// writing stops there, so that a component of deeply shared types cannot make it explode.
const MAX_SIGNATURE_LEN: usize = 16 << 10;

/// The resolved plugin WIT of `version`, parsed once.
fn plugin_wit(version: ContractVersion) -> std::result::Result<&'static Resolve, String> {
    type Parsed = OnceLock<std::result::Result<Resolve, String>>;
    static WIT: [Parsed; ContractVersion::ALL.len()] = [const { OnceLock::new() }; 2];
    let slot = ContractVersion::ALL
        .iter()
        .position(|v| *v == version)
        .ok_or_else(|| format!("no WIT for {version}"))?;
    WIT[slot]
        .get_or_init(|| {
            let mut sources = SourceMap::default();
            for &(name, text) in version.wit_files() {
                sources.push_str(name, text);
            }
            let group = sources.parse().map_err(|(_, e)| e.to_string())?;
            let mut resolve = Resolve::default();
            resolve.push_group(group).map_err(|e| e.to_string())?;
            Ok(resolve)
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// What is wrong with the exports `expected` of component `bytes`, compared with the WIT:
/// `Ok(None)` when they match. `Err` when the component's types cannot be read.
pub(crate) fn mismatch(
    plugin: &str,
    bytes: &[u8],
    version: ContractVersion,
    expected: &[String],
) -> Result<Option<String>> {
    let wit =
        plugin_wit(version).map_err(|e| Error::host(plugin, format!("the plugin WIT: {e}")))?;
    let (resolve, world) = match wit_parser::decoding::decode(bytes) {
        Ok(DecodedWasm::Component(resolve, world)) => (resolve, world),
        Ok(DecodedWasm::WitPackage(..)) => {
            return Ok(Some("a WIT package, not a component".into()));
        }
        Err(err) => {
            return Err(Error::InvalidComponent {
                plugin: plugin.to_owned(),
                message: "cannot decode its WIT".into(),
                source: Some(err.into()),
            })
        }
    };
    for name in expected {
        let want = interface_named(wit, wit.interfaces.iter().map(|(id, _)| id), name)
            .ok_or_else(|| Error::host(plugin, format!("`{name}` is not in the plugin WIT")))?;
        let exported = resolve.worlds[world]
            .exports
            .values()
            .filter_map(|item| match item {
                WorldItem::Interface { id, .. } => Some(*id),
                _ => None,
            });
        let Some(got) = interface_named(&resolve, exported, name) else {
            return Ok(Some(format!("`{name}` is not an exported interface")));
        };
        for (func_name, func) in &wit.interfaces[want].functions {
            let wanted = signature(wit, func);
            let Some(found) = resolve.interfaces[got].functions.get(func_name) else {
                return Ok(Some(format!("`{name}` has no function `{func_name}`")));
            };
            let found = signature(&resolve, found);
            if found != wanted {
                return Ok(Some(format!(
                    "`{name}`: `{func_name}` is `{}`, the WIT says `{wanted}`",
                    shorten(&found)
                )));
            }
        }
    }
    Ok(None)
}

fn interface_named(
    resolve: &Resolve,
    mut ids: impl Iterator<Item = InterfaceId>,
    name: &str,
) -> Option<InterfaceId> {
    ids.find(|id| resolve.id_of(*id).as_deref() == Some(name))
}

fn shorten(text: &str) -> &str {
    match text.char_indices().nth(300) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// `func(name: type, ...) -> type`, every named type expanded.
fn signature(resolve: &Resolve, func: &Function) -> String {
    let mut out = String::from("func(");
    for (i, param) in func.params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&param.name);
        out.push_str(": ");
        write_type(resolve, &param.ty, &mut out);
    }
    out.push(')');
    if let Some(result) = &func.result {
        out.push_str(" -> ");
        write_type(resolve, result, &mut out);
    }
    out
}

fn write_type(resolve: &Resolve, ty: &Type, out: &mut String) {
    if out.len() > MAX_SIGNATURE_LEN {
        return;
    }
    let primitive = match ty {
        Type::Bool => "bool",
        Type::U8 => "u8",
        Type::U16 => "u16",
        Type::U32 => "u32",
        Type::U64 => "u64",
        Type::S8 => "s8",
        Type::S16 => "s16",
        Type::S32 => "s32",
        Type::S64 => "s64",
        Type::F32 => "f32",
        Type::F64 => "f64",
        Type::Char => "char",
        Type::String => "string",
        Type::ErrorContext => "error-context",
        Type::Id(id) => {
            let def = &resolve.types[*id];
            let list =
                |out: &mut String,
                 open: &str,
                 items: &mut dyn Iterator<Item = (&str, Option<&Type>)>| {
                    out.push_str(open);
                    for (i, (name, ty)) in items.enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        out.push_str(name);
                        if let Some(ty) = ty {
                            if !name.is_empty() {
                                out.push_str(": ");
                            }
                            write_type(resolve, ty, out);
                        }
                    }
                    out.push('>');
                };
            match &def.kind {
                TypeDefKind::Type(inner) => write_type(resolve, inner, out),
                TypeDefKind::Record(r) => list(
                    out,
                    "record<",
                    &mut r.fields.iter().map(|f| (f.name.as_str(), Some(&f.ty))),
                ),
                TypeDefKind::Variant(v) => list(
                    out,
                    "variant<",
                    &mut v.cases.iter().map(|c| (c.name.as_str(), c.ty.as_ref())),
                ),
                TypeDefKind::Enum(e) => list(
                    out,
                    "enum<",
                    &mut e.cases.iter().map(|c| (c.name.as_str(), None)),
                ),
                TypeDefKind::Flags(f) => list(
                    out,
                    "flags<",
                    &mut f.flags.iter().map(|f| (f.name.as_str(), None)),
                ),
                TypeDefKind::Tuple(t) => {
                    list(out, "tuple<", &mut t.types.iter().map(|t| ("", Some(t))))
                }
                TypeDefKind::Option(t) => list(out, "option<", &mut std::iter::once(("", Some(t)))),
                TypeDefKind::List(t) => list(out, "list<", &mut std::iter::once(("", Some(t)))),
                TypeDefKind::FixedLengthList(t, n) => {
                    list(out, "list<", &mut std::iter::once(("", Some(t))));
                    out.push_str(&format!("[{n}]"));
                }
                TypeDefKind::Map(k, v) => {
                    list(out, "map<", &mut [("", Some(k)), ("", Some(v))].into_iter())
                }
                TypeDefKind::Result(r) => list(
                    out,
                    "result<",
                    &mut [("ok", r.ok.as_ref()), ("err", r.err.as_ref())].into_iter(),
                ),
                TypeDefKind::Future(t) => {
                    list(out, "future<", &mut t.iter().map(|t| ("", Some(t))))
                }
                TypeDefKind::Stream(t) => {
                    list(out, "stream<", &mut t.iter().map(|t| ("", Some(t))))
                }
                TypeDefKind::Handle(Handle::Own(r)) => {
                    out.push_str("own<");
                    write_resource(resolve, *r, out);
                    out.push('>');
                }
                TypeDefKind::Handle(Handle::Borrow(r)) => {
                    out.push_str("borrow<");
                    write_resource(resolve, *r, out);
                    out.push('>');
                }
                TypeDefKind::Resource => write_resource(resolve, *id, out),
                TypeDefKind::Unknown => out.push_str("unknown"),
            }
            return;
        }
    };
    out.push_str(primitive);
}

/// A resource as `interface#name`, following aliases (`use types.{request}`).
fn write_resource(resolve: &Resolve, mut id: wit_parser::TypeId, out: &mut String) {
    while let TypeDefKind::Type(Type::Id(next)) = resolve.types[id].kind {
        id = next;
    }
    let def = &resolve.types[id];
    let owner = match def.owner {
        TypeOwner::Interface(interface) => resolve.id_of(interface).unwrap_or_default(),
        _ => String::new(),
    };
    out.push_str(&format!(
        "resource {owner}#{}",
        def.name.as_deref().unwrap_or("")
    ));
}
