//! Derives the mechanical parts of the shim from the vendored WIT, so that
//! the WIT stays the one source of truth:
//!
//! - `crates/host/wasi-webgpu-shim/src/webgpu/wit.rs`: every WIT enum as a
//!   wasm-bindgen string enum with an exhaustive conversion to and from
//!   web-sys's enum, every flags type with its bitmask conversion, and every
//!   record as a typed JS accessor type (the shape jco hands us).
//! - `npm/generated/webgpu-exports.js`: the names the package exports (`getGpu` and one
//!   class per resource), as named exports and as the `webgpu` object.
//! - `crates/host/wasi-webgpu-shim/src/surface/wit.rs` and `npm/generated/gfx-exports.js`:
//!   the same for the wasi-gfx interfaces (`surface`, `surface-webgpu`,
//!   `surface-frame-buffer`, `frame-buffer`): the `key` enum with its
//!   table from `KeyboardEvent.code`, the records, and one exported object
//!   per interface naming its resource classes.
//! - `web-tests/generated/wit-functions.json`: every WIT function, for the
//!   coverage report; `resources.json`: the class names jco links to;
//!   `wit-signatures.json`: every function's parameter and result types and
//!   every named type, for the robustness harness.
//! - `npm/generated/wasi.js`: the WASI 0.2 and 0.3 interfaces, functions and
//!   methods `npm/wasi/` implements (see `wasi.rs`).
//! - `npm/generated/raw-bindings.js`: the canonical-ABI bindings of the hot functions
//!   for jco's `--import-bindings hybrid` (see `raw.rs`), and
//!   `web-tests/generated/raw-abi.json`, their core arguments, from which
//!   the bad-input tests derive their cases.
//!
//! `cargo run -p wit-codegen` rewrites them; `cargo run -p wit-codegen --
//! --check` (run by `npm test`) fails when a committed file differs, which is
//! how drift between the code and the WIT is caught.

mod commands;
mod plain;
mod raw;
mod wasi;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use wit_parser::{FunctionKind, InterfaceId, Resolve, Type, TypeDefKind, TypeId, TypeOwner};

/// The five enums whose WIT spelling differs from WebGPU's. Everything else
/// is spelled the same on both sides.
pub(crate) fn webgpu_spelling(enum_name: &str, case: &str) -> String {
    match enum_name {
        "gpu-texture-dimension" | "gpu-texture-view-dimension" => match case {
            "d1" => "1d".into(),
            "d2" => "2d".into(),
            "d2-array" => "2d-array".into(),
            "d3" => "3d".into(),
            other => other.into(),
        },
        // astc4x4-unorm -> astc-4x4-unorm
        "gpu-texture-format" if case.starts_with("astc") => format!("astc-{}", &case[4..]),
        "gpu-vertex-format" if case == "unorm1010102" => "unorm10-10-10-2".into(),
        "gpu-feature-name" if case.ends_with("-sliced3d") => {
            format!("{}-sliced-3d", case.trim_end_matches("-sliced3d"))
        }
        _ => case.into(),
    }
}

/// WIT enums that web-sys 0.3.107 has no type for (WebGPU takes the
/// string; see `webgpu_str`).
fn has_web_sys_enum(wit_name: &str) -> bool {
    !matches!(wit_name, "predefined-color-space")
}

/// web-sys's name for a WIT type that has a WebGPU counterpart.
fn web_sys_type_name(wit_name: &str) -> String {
    match wit_name {
        "gpu-color" => "GpuColorDict".into(),
        "gpu-extent3-d" => "GpuExtent3dDict".into(),
        "gpu-origin3-d" => "GpuOrigin3dDict".into(),
        "predefined-color-space" => "PredefinedColorSpace".into(),
        other => pascal(other),
    }
}

/// kebab-case to PascalCase the way jco and wasm-bindgen's web-sys do it:
/// each dash-separated word capitalised; a leading digit gets an `N`.
fn pascal(kebab: &str) -> String {
    let mut out = String::new();
    for word in kebab.split('-') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'N');
    }
    out
}

/// kebab-case to camelCase, as jco names record fields and methods.
fn camel(kebab: &str) -> String {
    let p = pascal(kebab);
    let mut chars = p.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => p,
    }
}

fn snake(kebab: &str) -> String {
    let s = kebab.replace('-', "_");
    match s.as_str() {
        "type" | "move" | "ref" | "mod" | "use" | "self" | "fn" | "loop" => format!("{s}_"),
        _ => s,
    }
}

fn screaming(kebab: &str) -> String {
    kebab.replace('-', "_").to_uppercase()
}

struct Gen<'a> {
    resolve: &'a Resolve,
    iface: InterfaceId,
}

impl Gen<'_> {
    fn types(&self) -> impl Iterator<Item = (&str, TypeId)> + '_ {
        self.resolve.interfaces[self.iface]
            .types
            .iter()
            .map(|(name, id)| (name.as_str(), *id))
    }

    /// The Rust type a typed getter returns for a WIT type inside a record.
    fn getter_type(&self, ty: &Type) -> String {
        match ty {
            Type::Bool => "bool".into(),
            Type::U8 => "u8".into(),
            Type::U16 => "u16".into(),
            Type::U32 => "u32".into(),
            Type::U64 => "u64".into(),
            Type::S8 => "i8".into(),
            Type::S16 => "i16".into(),
            Type::S32 => "i32".into(),
            Type::S64 => "i64".into(),
            Type::F32 => "f32".into(),
            Type::F64 => "f64".into(),
            Type::Char | Type::String => "String".into(),
            Type::ErrorContext => "JsValue".into(),
            Type::Id(id) => {
                let def = &self.resolve.types[*id];
                match &def.kind {
                    TypeDefKind::Type(inner) => self.getter_type(inner),
                    TypeDefKind::Option(inner) => format!("Option<{}>", self.getter_type(inner)),
                    TypeDefKind::Enum(_) | TypeDefKind::Record(_) | TypeDefKind::Flags(_) => {
                        pascal(def.name.as_deref().unwrap_or("anonymous"))
                    }
                    // Lists arrive as JS arrays or typed arrays, variants as
                    // `{ tag, val }` and resources as our wrapper objects: the
                    // hand-written conversions take them as they are.
                    _ => "JsValue".into(),
                }
            }
        }
    }

    fn enums(&self, out: &mut String) {
        for (name, id) in self.types() {
            let TypeDefKind::Enum(e) = &self.resolve.types[id].kind else {
                continue;
            };
            let web = web_sys_type_name(name);
            // Private: web-sys exports its own enum under the same JS name.
            let ty = string_enum(out, name, e, "#[wasm_bindgen(private)]");
            if !has_web_sys_enum(name) {
                self.enum_webgpu_str(out, name, &ty, e);
                continue;
            }
            writeln!(
                out,
                "    /// `__Invalid` (a string outside the WIT, which jco never sends)"
            )
            .unwrap();
            writeln!(out, "    /// stays invalid: WebGPU sees `undefined`.").unwrap();
            writeln!(out, "    pub fn to_web(self) -> web_sys::{web} {{").unwrap();
            writeln!(out, "        match self {{").unwrap();
            for case in &e.cases {
                let js = webgpu_spelling(name, &case.name);
                writeln!(
                    out,
                    "            {ty}::{} => web_sys::{web}::{},",
                    pascal(&case.name),
                    pascal(&js)
                )
                .unwrap();
            }
            writeln!(
                out,
                "            {ty}::__Invalid => web_sys::{web}::__Invalid,\n        }}\n    }}\n"
            )
            .unwrap();
            writeln!(
                out,
                "    /// `None` for a WebGPU value the WIT has no case for."
            )
            .unwrap();
            writeln!(
                out,
                "    pub fn from_web(web: web_sys::{web}) -> Option<{ty}> {{"
            )
            .unwrap();
            writeln!(out, "        Some(match web {{").unwrap();
            for case in &e.cases {
                let js = webgpu_spelling(name, &case.name);
                writeln!(
                    out,
                    "            web_sys::{web}::{} => {ty}::{},",
                    pascal(&js),
                    pascal(&case.name)
                )
                .unwrap();
            }
            writeln!(out, "            _ => return None,\n        }})\n    }}\n").unwrap();
            self.enum_webgpu_str(out, name, &ty, e);
        }
    }

    /// The WebGPU string for each case; closes the `impl` block.
    fn enum_webgpu_str(&self, out: &mut String, name: &str, ty: &str, e: &wit_parser::Enum) {
        writeln!(
            out,
            "    pub fn webgpu_str(self) -> Option<&'static str> {{"
        )
        .unwrap();
        writeln!(out, "        Some(match self {{").unwrap();
        for case in &e.cases {
            let js = webgpu_spelling(name, &case.name);
            writeln!(out, "            {ty}::{} => \"{js}\",", pascal(&case.name)).unwrap();
        }
        writeln!(
            out,
            "            _ => return None,\n        }})\n    }}\n}}\n"
        )
        .unwrap();
    }

    fn flags(&self, out: &mut String) {
        for (name, id) in self.types() {
            let TypeDefKind::Flags(f) = &self.resolve.types[id].kind else {
                continue;
            };
            let ty = pascal(name);
            let module = snake(name);
            writeln!(out, "#[wasm_bindgen]\nextern \"C\" {{").unwrap();
            writeln!(
                out,
                "    /// WIT flags `{name}`: an object with one boolean per flag."
            )
            .unwrap();
            writeln!(out, "    #[derive(Clone, Debug)]\n    pub type {ty};").unwrap();
            for flag in &f.flags {
                writeln!(
                    out,
                    "    #[wasm_bindgen(method, getter = {})]\n    pub fn {}(this: &{ty}) -> bool;",
                    camel(&flag.name),
                    snake(&flag.name)
                )
                .unwrap();
            }
            writeln!(out, "}}\n").unwrap();
            writeln!(out, "impl {ty} {{").unwrap();
            writeln!(out, "    /// Every flag: JS property name and WebGPU bit.").unwrap();
            writeln!(
                out,
                "    pub const FLAGS: &'static [(&'static str, u32)] = &["
            )
            .unwrap();
            for flag in &f.flags {
                writeln!(
                    out,
                    "        (\"{}\", web_sys::{module}::{}),",
                    camel(&flag.name),
                    screaming(&flag.name)
                )
                .unwrap();
            }
            writeln!(out, "    ];\n").unwrap();
            writeln!(
                out,
                "    pub fn to_bits(&self) -> u32 {{\n        let mut bits = 0;"
            )
            .unwrap();
            for flag in &f.flags {
                writeln!(
                    out,
                    "        if self.{}() {{\n            bits |= web_sys::{module}::{};\n        }}",
                    snake(&flag.name),
                    screaming(&flag.name)
                )
                .unwrap();
            }
            writeln!(out, "        bits\n    }}\n}}\n").unwrap();
        }
    }

    fn records(&self, out: &mut String) {
        for (name, id) in self.types() {
            let TypeDefKind::Record(r) = &self.resolve.types[id].kind else {
                continue;
            };
            let ty = pascal(name);
            writeln!(out, "#[wasm_bindgen]\nextern \"C\" {{").unwrap();
            writeln!(out, "    /// WIT record `{name}` as jco hands it over.").unwrap();
            writeln!(out, "    #[derive(Clone, Debug)]\n    pub type {ty};").unwrap();
            for field in &r.fields {
                writeln!(
                    out,
                    "    #[wasm_bindgen(method, getter = {})]\n    pub fn {}(this: &{ty}) -> {};",
                    camel(&field.name),
                    snake(&field.name),
                    self.getter_type(&field.ty)
                )
                .unwrap();
            }
            writeln!(out, "}}\n").unwrap();
        }
    }

    fn resources(&self) -> Vec<String> {
        self.types()
            .filter(|(_, id)| matches!(self.resolve.types[*id].kind, TypeDefKind::Resource))
            .map(|(name, _)| name.to_string())
            .collect()
    }

    /// Records, variants, enums, flags and resources keep their name in the
    /// signatures JSON; everything else is written inline.
    fn is_named(&self, id: TypeId) -> bool {
        let def = &self.resolve.types[id];
        def.name.is_some()
            && matches!(
                def.kind,
                TypeDefKind::Record(_)
                    | TypeDefKind::Variant(_)
                    | TypeDefKind::Enum(_)
                    | TypeDefKind::Flags(_)
                    | TypeDefKind::Resource
            )
    }

    /// The resource an `own`/`borrow` handle points at, through aliases.
    fn resource_name(&self, mut id: TypeId) -> String {
        while let TypeDefKind::Type(Type::Id(next)) = self.resolve.types[id].kind {
            id = next;
        }
        self.resolve.types[id].name.clone().unwrap_or_default()
    }

    fn type_json(&self, ty: &Type) -> String {
        let id = match ty {
            Type::Bool => return "\"bool\"".into(),
            Type::U8 => return "\"u8\"".into(),
            Type::U16 => return "\"u16\"".into(),
            Type::U32 => return "\"u32\"".into(),
            Type::U64 => return "\"u64\"".into(),
            Type::S8 => return "\"s8\"".into(),
            Type::S16 => return "\"s16\"".into(),
            Type::S32 => return "\"s32\"".into(),
            Type::S64 => return "\"s64\"".into(),
            Type::F32 => return "\"f32\"".into(),
            Type::F64 => return "\"f64\"".into(),
            Type::Char => return "\"char\"".into(),
            Type::String => return "\"string\"".into(),
            Type::ErrorContext => return "\"error-context\"".into(),
            Type::Id(id) => *id,
        };
        if self.is_named(id) {
            return format!(
                "{{\"type\": \"{}\"}}",
                self.resolve.types[id].name.as_deref().unwrap_or_default()
            );
        }
        let opt = |t: &Option<Type>| {
            t.as_ref()
                .map(|t| self.type_json(t))
                .unwrap_or_else(|| "null".into())
        };
        match &self.resolve.types[id].kind {
            TypeDefKind::Type(inner) => self.type_json(inner),
            TypeDefKind::List(inner) => format!("{{\"list\": {}}}", self.type_json(inner)),
            TypeDefKind::FixedLengthList(inner, n) => {
                format!("{{\"list\": {}, \"length\": {n}}}", self.type_json(inner))
            }
            TypeDefKind::Option(inner) => format!("{{\"option\": {}}}", self.type_json(inner)),
            TypeDefKind::Result(r) => format!("{{\"result\": [{}, {}]}}", opt(&r.ok), opt(&r.err)),
            TypeDefKind::Tuple(t) => {
                let items: Vec<String> = t.types.iter().map(|t| self.type_json(t)).collect();
                format!("{{\"tuple\": [{}]}}", items.join(", "))
            }
            TypeDefKind::Handle(wit_parser::Handle::Own(r)) => {
                format!("{{\"own\": \"{}\"}}", self.resource_name(*r))
            }
            TypeDefKind::Handle(wit_parser::Handle::Borrow(r)) => {
                format!("{{\"borrow\": \"{}\"}}", self.resource_name(*r))
            }
            TypeDefKind::Future(t) => format!("{{\"future\": {}}}", opt(t)),
            TypeDefKind::Stream(t) => format!("{{\"stream\": {}}}", opt(t)),
            TypeDefKind::Map(k, v) => format!(
                "{{\"map\": [{}, {}]}}",
                self.type_json(k),
                self.type_json(v)
            ),
            // Named kinds are handled above; `Unknown` does not survive resolution.
            _ => "null".into(),
        }
    }

    fn typedef_json(&self, id: TypeId) -> String {
        let quoted = |names: Vec<&str>| {
            names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.resolve.types[id].kind {
            TypeDefKind::Record(r) => {
                let fields: Vec<String> = r
                    .fields
                    .iter()
                    .map(|f| format!("[\"{}\", {}]", f.name, self.type_json(&f.ty)))
                    .collect();
                format!("{{\"record\": [{}]}}", fields.join(", "))
            }
            TypeDefKind::Variant(v) => {
                let cases: Vec<String> = v
                    .cases
                    .iter()
                    .map(|c| {
                        let ty =
                            c.ty.as_ref()
                                .map(|t| self.type_json(t))
                                .unwrap_or_else(|| "null".into());
                        format!("[\"{}\", {ty}]", c.name)
                    })
                    .collect();
                format!("{{\"variant\": [{}]}}", cases.join(", "))
            }
            TypeDefKind::Enum(e) => format!(
                "{{\"enum\": [{}]}}",
                quoted(e.cases.iter().map(|c| c.name.as_str()).collect())
            ),
            TypeDefKind::Flags(f) => format!(
                "{{\"flags\": [{}]}}",
                quoted(f.flags.iter().map(|c| c.name.as_str()).collect())
            ),
            _ => "{\"resource\": true}".into(),
        }
    }

    /// `resource.method` (or the free function's name) for every function.
    fn functions(&self) -> Vec<String> {
        let iface = &self.resolve.interfaces[self.iface];
        iface
            .functions
            .values()
            .map(|f| {
                let owner = f
                    .kind
                    .resource()
                    .and_then(|id| self.resolve.types[id].name.clone());
                let item = match f.kind {
                    FunctionKind::Constructor(_) => "constructor",
                    _ => f.item_name(),
                };
                match owner {
                    Some(owner) => format!("{owner}.{item}"),
                    None => item.to_string(),
                }
            })
            .collect()
    }
}

/// The wasi-gfx interfaces we implement, by package and interface name.
const GFX_INTERFACES: [(&str, &str); 4] = [
    ("wasi-gfx:surface@0.2.0", "surface"),
    ("wasi-gfx:surface@0.2.0", "surface-webgpu"),
    ("wasi-gfx:surface@0.2.0", "surface-frame-buffer"),
    ("wasi-gfx:frame-buffer@0.2.0", "frame-buffer"),
];

/// The shim's class for a wasi-gfx resource: the interface name and the
/// resource name, once when they are the same (`surface.surface` is
/// `Surface`, `surface-webgpu.context` is `SurfaceWebgpuContext`). Two
/// interfaces both call their resource `context`; wasm-bindgen needs one
/// name per class, and the exported objects give each back its WIT name.
fn gfx_class_name(interface: &str, resource: &str) -> String {
    if interface == resource {
        pascal(resource)
    } else {
        format!("{}{}", pascal(interface), pascal(resource))
    }
}

impl Gen<'_> {
    /// The `key` enum and its table from `KeyboardEvent.code`: the WIT's
    /// cases are the UI Events code values, kebab-cased (`key-a` is `KeyA`,
    /// `numpad-enter` is `NumpadEnter`), so the table is derived, not typed.
    fn dom_code_enums(&self, out: &mut String) {
        for (name, id) in self.types() {
            let TypeDefKind::Enum(e) = &self.resolve.types[id].kind else {
                continue;
            };
            let ty = string_enum(out, name, e, "#[wasm_bindgen]");
            // A table of strings and a search, not a `match` to the enum:
            // the match, and the enum's own conversion back to its string,
            // compiled to 6 KB of comparisons in the shipped wasm.
            writeln!(
                out,
                "    /// The WIT case (as jco spells it) for a `KeyboardEvent.code`; `None` for a\n    /// code the WIT lacks."
            )
            .unwrap();
            writeln!(out, "    pub fn case_of_code(code: &str) -> Option<&'static str> {{").unwrap();
            writeln!(out, "        static DOM_CODES: [(&str, &str); {}] = [", e.cases.len()).unwrap();
            for case in &e.cases {
                writeln!(out, "            (\"{}\", \"{}\"),", dom_code(&case.name), case.name).unwrap();
            }
            writeln!(
                out,
                "        ];\n        DOM_CODES.iter().find(|(dom, _)| *dom == code).map(|&(_, case)| case)\n    }}\n}}\n"
            )
            .unwrap();
        }
    }
}

/// Writes a WIT enum as a wasm-bindgen string enum (the strings jco hands
/// over) and opens its `impl` block; returns the Rust type's name.
fn string_enum(out: &mut String, name: &str, e: &wit_parser::Enum, attribute: &str) -> String {
    let ty = pascal(name);
    writeln!(
        out,
        "/// WIT enum `{name}`, in the spelling jco hands over."
    )
    .unwrap();
    writeln!(
        out,
        "{attribute}\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]"
    )
    .unwrap();
    writeln!(out, "pub enum {ty} {{").unwrap();
    for case in &e.cases {
        writeln!(out, "    {} = \"{}\",", pascal(&case.name), case.name).unwrap();
    }
    writeln!(out, "}}\n").unwrap();
    writeln!(out, "impl {ty} {{").unwrap();
    ty
}

/// A `key` case's `KeyboardEvent.code`: PascalCase without jco's `N`
/// prefix (no case starts with a digit).
fn dom_code(case: &str) -> String {
    pascal(case)
}

fn gfx_rust_module(gens: &[(&str, Gen)]) -> String {
    let mut out = String::new();
    out.push_str("// @generated by `cargo run -p wit-codegen` from wit/deps/wasi-gfx-*-0.2.0.\n// Do not edit: change the generator or the WIT, then run `npm run codegen`.\n");
    out.push_str("#![allow(clippy::all, non_camel_case_types, dead_code, unused_imports)]\n\n");
    out.push_str("use wasm_bindgen::prelude::*;\n\n");
    out.push_str("// Types the surface interfaces `use` from wasi:webgpu.\n");
    out.push_str("use crate::webgpu::wit::*;\n\n");
    for (interface, gen) in gens {
        writeln!(out, "// ---- {interface} ----\n").unwrap();
        gen.dom_code_enums(&mut out);
        gen.records(&mut out);
    }
    out.push_str(
        "/// Every wasi-gfx function, as `interface/resource.method` or `interface/function`.\n",
    );
    out.push_str("pub const FUNCTIONS: &[&str] = &[\n");
    for (interface, gen) in gens {
        for f in gen.functions() {
            writeln!(out, "    \"{interface}/{f}\",").unwrap();
        }
    }
    out.push_str("];\n");
    out
}

fn gfx_js_exports(gens: &[(&str, Gen)]) -> String {
    let mut out = String::new();
    out.push_str(
        "// @generated by `cargo run -p wit-codegen` from the vendored WIT. Do not edit.\n",
    );
    out.push_str(
        "// One object per wasi-gfx interface, naming each resource class as the WIT does,\n",
    );
    out.push_str("// for `--map 'wasi-gfx:surface/*@0.2.0=wasi-webgpu-shim#*'` and\n");
    out.push_str("// `--map 'wasi-gfx:frame-buffer/*@0.2.0=wasi-webgpu-shim#*'`.\n");
    out.push_str("import * as shim from '../pkg/wasi_webgpu_shim.js';\n");
    for (interface, gen) in gens {
        writeln!(
            out,
            "\nexport const {} = Object.freeze({{",
            camel(interface)
        )
        .unwrap();
        for r in gen.resources() {
            writeln!(
                out,
                "  {}: shim.{},",
                pascal(&r),
                gfx_class_name(interface, &r)
            )
            .unwrap();
        }
        out.push_str("});\n");
    }
    out
}

fn header(out: &mut String) {
    out.push_str(
        "// @generated by `cargo run -p wit-codegen` from wit/deps/wasi-webgpu-0.3.0-rc.2.\n// Do not edit: change the generator or the WIT, then run `npm run codegen`.\n",
    );
}

fn rust_module(gen: &Gen) -> String {
    let mut out = String::new();
    header(&mut out);
    out.push_str("#![allow(clippy::all, non_camel_case_types, dead_code)]\n\n");
    out.push_str("use wasm_bindgen::prelude::*;\n\n");
    out.push_str("// ---- enums ----\n\n");
    gen.enums(&mut out);
    out.push_str("// ---- flags ----\n\n");
    gen.flags(&mut out);
    out.push_str("// ---- records ----\n\n");
    gen.records(&mut out);
    out.push_str("// ---- plain fields (plain.rs) ----\n\n");
    out.push_str(&plain::rust_items(gen.resolve, gen.iface));
    out.push_str("/// Every resource of the interface, by its WIT name.\n");
    out.push_str("pub const RESOURCES: &[&str] = &[\n");
    for r in gen.resources() {
        writeln!(out, "    \"{r}\",").unwrap();
    }
    out.push_str("];\n\n/// Every function of the interface, as `resource.method` or a free function's name.\n");
    out.push_str("pub const FUNCTIONS: &[&str] = &[\n");
    for f in gen.functions() {
        writeln!(out, "    \"{f}\",").unwrap();
    }
    out.push_str("];\n");
    out
}

fn js_exports(gen: &Gen) -> String {
    let mut names = vec!["getGpu".to_string()];
    names.extend(gen.resources().iter().map(|r| pascal(r)));
    let mut out = String::new();
    out.push_str(
        "// @generated by `cargo run -p wit-codegen` from the vendored WIT. Do not edit.\n",
    );
    out.push_str("// One class per resource of wasi:webgpu/webgpu plus `getGpu`: jco links by these names.\n");
    out.push_str("export {\n");
    for n in &names {
        writeln!(out, "  {n},").unwrap();
    }
    out.push_str("} from '../pkg/wasi_webgpu_shim.js';\n\n");
    out.push_str("import * as shim from '../pkg/wasi_webgpu_shim.js';\n\n");
    out.push_str("/** The interface as one object, for `--map 'wasi:webgpu/*@VERSION=wasi-webgpu-shim#*'`. */\n");
    out.push_str("export const webgpu = Object.freeze({\n");
    for n in &names {
        writeln!(out, "  {n}: shim.{n},").unwrap();
    }
    out.push_str("});\n");
    out
}

/// TypeScript declarations for an exports module generated above: the
/// re-exports stay, and each frozen interface object becomes a declared
/// constant whose members have the types of the classes they name.
fn declarations_of(js: &str) -> String {
    let mut out = String::new();
    for line in js.lines() {
        if let Some(name) = line
            .strip_prefix("export const ")
            .and_then(|l| l.strip_suffix(" = Object.freeze({"))
        {
            writeln!(out, "export declare const {name}: Readonly<{{").unwrap();
        } else if let Some((key, value)) = line
            .strip_prefix("  ")
            .and_then(|l| l.strip_suffix(','))
            .and_then(|l| l.split_once(": shim."))
        {
            writeln!(out, "  {key}: typeof shim.{value};").unwrap();
        } else if line == "});" {
            out.push_str("}>;\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn functions_json(gen: &Gen) -> String {
    let fns = gen.functions();
    let mut out = String::from("[\n");
    for (i, f) in fns.iter().enumerate() {
        let comma = if i + 1 == fns.len() { "" } else { "," };
        writeln!(out, "  \"{f}\"{comma}").unwrap();
    }
    out.push_str("]\n");
    out
}

/// Every function's parameter and result types, and every named type, as
/// JSON for the robustness harness (`web-tests/pages/fuzz.js`), which builds
/// random arguments from it and checks what comes back against it.
///
/// A type is a primitive's name (`"u32"`), `{"type": name}` for a named
/// record, variant, enum, flags or resource, or an inline
/// `{"list"|"option"|"own"|"borrow"|"future"|"stream": ...}`,
/// `{"result": [ok, err]}` or `{"tuple": [...]}`. Aliases are followed.
fn signatures_json(gen: &Gen) -> String {
    let mut out = String::from("{\n  \"types\": {\n");
    let named: Vec<_> = gen.types().filter(|(_, id)| gen.is_named(*id)).collect();
    for (i, (name, id)) in named.iter().enumerate() {
        let comma = if i + 1 == named.len() { "" } else { "," };
        writeln!(out, "    \"{name}\": {}{comma}", gen.typedef_json(*id)).unwrap();
    }
    out.push_str("  },\n  \"functions\": [\n");
    let iface = &gen.resolve.interfaces[gen.iface];
    let names = gen.functions();
    for (i, (f, name)) in iface.functions.values().zip(&names).enumerate() {
        let kind = match f.kind {
            FunctionKind::Freestanding
            | FunctionKind::AsyncFreestanding
            | FunctionKind::Getter
            | FunctionKind::Setter => "function",
            FunctionKind::Method(_)
            | FunctionKind::AsyncMethod(_)
            | FunctionKind::MethodGetter(_)
            | FunctionKind::MethodSetter(_) => "method",
            FunctionKind::Static(_)
            | FunctionKind::AsyncStatic(_)
            | FunctionKind::StaticGetter(_)
            | FunctionKind::StaticSetter(_) => "static",
            FunctionKind::Constructor(_) => "constructor",
        };
        let is_async = f.kind.is_async();
        let params: Vec<String> = f
            .params
            .iter()
            .map(|p| format!("[\"{}\", {}]", p.name, gen.type_json(&p.ty)))
            .collect();
        let result = f
            .result
            .as_ref()
            .map(|t| gen.type_json(t))
            .unwrap_or_else(|| "null".into());
        let comma = if i + 1 == names.len() { "" } else { "," };
        writeln!(
            out,
            "    {{\"name\": \"{name}\", \"kind\": \"{kind}\", \"async\": {is_async}, \"params\": [{}], \"result\": {result}}}{comma}",
            params.join(", ")
        )
        .unwrap();
    }
    out.push_str("  ]\n}\n");
    out
}

fn resources_json(gen: &Gen) -> String {
    let names: Vec<String> = gen
        .resources()
        .iter()
        .map(|r| format!("  \"{}\"", pascal(r)))
        .collect();
    format!("[\n{}\n]\n", names.join(",\n"))
}

fn main() {
    if let Err(e) = run() {
        eprintln!("wit-codegen: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let check = std::env::args().any(|a| a == "--check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let mut resolve = Resolve::default();
    let pkg_dir = root.join("wit/deps/wasi-webgpu-0.3.0-rc.2");
    let (pkg, _) = resolve.push_dir(&pkg_dir).map_err(|e| format!("{e:#}"))?;
    // The wasi-gfx packages `use` wasi:webgpu and each other: pushed after
    // what they depend on.
    for dir in ["wasi-gfx-frame-buffer-0.2.0", "wasi-gfx-surface-0.2.0"] {
        resolve
            .push_dir(root.join("wit/deps").join(dir))
            .map_err(|e| format!("{e:#}"))?;
    }
    let iface = resolve.packages[pkg]
        .interfaces
        .get("webgpu")
        .copied()
        .ok_or("wasi:webgpu has no interface `webgpu`")?;
    // Only this interface's own types: a type from another interface would
    // need its own module.
    let gen = Gen {
        resolve: &resolve,
        iface,
    };
    for (_, id) in gen.types() {
        if let TypeOwner::Interface(owner) = resolve.types[id].owner {
            if owner != iface {
                return Err("unexpected foreign type".into());
            }
        }
    }

    let mut gfx = Vec::new();
    for (package, interface) in GFX_INTERFACES {
        let pkg = resolve
            .package_names
            .iter()
            .find(|(name, _)| name.to_string() == package)
            .map(|(_, id)| *id)
            .ok_or(format!("no package {package}"))?;
        let id = resolve.packages[pkg]
            .interfaces
            .get(interface)
            .copied()
            .ok_or(format!("{package} has no interface {interface}"))?;
        gfx.push((
            interface,
            Gen {
                resolve: &resolve,
                iface: id,
            },
        ));
    }
    same_fields(
        &resolve,
        ("surface-webgpu", "context-configuration"),
        &gfx,
        iface,
        "gpu-canvas-configuration",
    )?;

    let (raw_bindings, raw_abi) = raw::RawGen::new(&resolve)?.module(iface)?;
    let (commands_js, commands_dts) = commands::module(&resolve, iface)?;
    let outputs: [(PathBuf, String); 15] = [
        (root.join("crates/host/wasi-webgpu-shim/src/webgpu/plain.js"), plain::js_module(&resolve, iface)),
        (root.join("npm/generated/wasi.js"), wasi::module(&root)?),
        (root.join("npm/generated/commands.js"), commands_js),
        (root.join("npm/generated/commands.d.ts"), commands_dts),
        (root.join("npm/generated/raw-bindings.js"), raw_bindings),
        (root.join("web-tests/generated/raw-abi.json"), raw_abi),
        (
            root.join("crates/host/wasi-webgpu-shim/src/surface/wit.rs"),
            gfx_rust_module(&gfx),
        ),
        (root.join("npm/generated/gfx-exports.js"), gfx_js_exports(&gfx)),
        (
            root.join("npm/generated/gfx-exports.d.ts"),
            declarations_of(&gfx_js_exports(&gfx)),
        ),
        (
            root.join("npm/generated/webgpu-exports.d.ts"),
            declarations_of(&js_exports(&gen)),
        ),
        (
            root.join("web-tests/generated/resources.json"),
            resources_json(&gen),
        ),
        (
            root.join("crates/host/wasi-webgpu-shim/src/webgpu/wit.rs"),
            rust_module(&gen),
        ),
        (root.join("npm/generated/webgpu-exports.js"), js_exports(&gen)),
        (
            root.join("web-tests/generated/wit-functions.json"),
            functions_json(&gen),
        ),
        (
            root.join("web-tests/generated/wit-signatures.json"),
            signatures_json(&gen),
        ),
    ];
    let mut stale = Vec::new();
    for (path, text) in &outputs {
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if current == *text {
            continue;
        }
        if check {
            stale.push(display(path, &root));
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("wrote {}", display(path, &root));
        }
    }
    if !stale.is_empty() {
        return Err(format!(
            "generated files differ from the WIT: {} (run `npm run codegen`)",
            stale.join(", ")
        ));
    }
    if check {
        println!("wit-codegen: generated files match the WIT");
    }
    Ok(())
}

/// The shim configures a surface's WebGPU context with the code that
/// configures a canvas context, which is right only while the two records
/// have the same fields of the same types: checked here.
fn same_fields(
    resolve: &Resolve,
    (interface, record): (&str, &str),
    gfx: &[(&str, Gen)],
    webgpu: InterfaceId,
    webgpu_record: &str,
) -> Result<(), String> {
    let fields = |iface: InterfaceId, name: &str| -> Result<Vec<(String, String)>, String> {
        let gen = Gen { resolve, iface };
        let id = resolve.interfaces[iface]
            .types
            .get(name)
            .copied()
            .ok_or(format!("no record {name}"))?;
        let TypeDefKind::Record(r) = &resolve.types[id].kind else {
            return Err(format!("{name} is not a record"));
        };
        Ok(r.fields
            .iter()
            .map(|f| (f.name.clone(), gen.type_json(&f.ty)))
            .collect())
    };
    let surface_iface = gfx
        .iter()
        .find(|(i, _)| *i == interface)
        .map(|(_, g)| g.iface)
        .ok_or("no surface-webgpu")?;
    if fields(surface_iface, record)? != fields(webgpu, webgpu_record)? {
        return Err(format!("{interface}.{record} no longer has the fields of webgpu.{webgpu_record}; surface/webgpu_context.rs must convert it itself"));
    }
    Ok(())
}

fn display(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_enums_whose_spelling_differs() {
        assert_eq!(webgpu_spelling("gpu-texture-dimension", "d1"), "1d");
        assert_eq!(
            webgpu_spelling("gpu-texture-view-dimension", "d2-array"),
            "2d-array"
        );
        assert_eq!(
            webgpu_spelling("gpu-texture-view-dimension", "cube-array"),
            "cube-array"
        );
        assert_eq!(
            webgpu_spelling("gpu-texture-format", "astc10x8-unorm-srgb"),
            "astc-10x8-unorm-srgb"
        );
        assert_eq!(
            webgpu_spelling("gpu-texture-format", "rgba8unorm"),
            "rgba8unorm"
        );
        assert_eq!(
            webgpu_spelling("gpu-vertex-format", "unorm1010102"),
            "unorm10-10-10-2"
        );
        assert_eq!(
            webgpu_spelling("gpu-feature-name", "texture-compression-bc-sliced3d"),
            "texture-compression-bc-sliced-3d"
        );
        assert_eq!(
            webgpu_spelling("gpu-feature-name", "shader-f16"),
            "shader-f16"
        );
    }

    #[test]
    fn key_cases_are_keyboard_event_codes() {
        assert_eq!(dom_code("key-a"), "KeyA");
        assert_eq!(dom_code("digit0"), "Digit0");
        assert_eq!(dom_code("numpad-enter"), "NumpadEnter");
        assert_eq!(dom_code("f12"), "F12");
        assert_eq!(dom_code("launch-app1"), "LaunchApp1");
        assert_eq!(dom_code("intl-ro"), "IntlRo");
        assert_eq!(dom_code("audio-volume-up"), "AudioVolumeUp");
    }

    #[test]
    fn gfx_class_names_are_unique_per_interface() {
        assert_eq!(gfx_class_name("surface", "surface"), "Surface");
        assert_eq!(
            gfx_class_name("surface-webgpu", "context"),
            "SurfaceWebgpuContext"
        );
        assert_eq!(
            gfx_class_name("surface-frame-buffer", "context"),
            "SurfaceFrameBufferContext"
        );
        assert_eq!(
            gfx_class_name("frame-buffer", "buffer"),
            "FrameBufferBuffer"
        );
    }

    #[test]
    fn names_as_jco_and_web_sys_spell_them() {
        assert_eq!(pascal("gpu-extent3-d"), "GpuExtent3D");
        assert_eq!(pascal("2d-array"), "N2dArray");
        assert_eq!(camel("max-texture-dimension1-d"), "maxTextureDimension1D");
        assert_eq!(snake("type"), "type_");
    }
}
