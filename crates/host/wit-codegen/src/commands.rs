//! `npm/generated/commands.js`: one body per hot pass command, in JS, used
//! by both paths.
//!
//! A pass command (draw, set-bind-group, dispatch, ...) is nothing but one
//! call to the browser's encoder with the GPU objects behind the handles. A
//! body written in Rust costs a hop into the shim's wasm and another back
//! out through web-sys for every command; the body generated here calls the
//! encoder directly. jco's glue reaches it through the class's method (the
//! generated module installs one on the shim's class), the raw binding calls
//! it right after lifting the guest's core arguments
//! (`npm/generated/raw-bindings.js`), so each command's semantics exist
//! once.
//!
//! The body of each command is derived from its WIT signature: a borrow
//! becomes the wrapper's GPU object, an `option<borrow>` that or null, a
//! u64 a saturated number, everything else passes as jco hands it over.
//! [`DIRECT`] says which commands get a body and how; a signature the
//! derivation does not know fails generation and names the function.
//! What the bodies stand on is hand-written in `npm/commands-runtime.js`.

use std::fmt::Write as _;

use wit_parser::{Handle, InterfaceId, Resolve, Type, TypeDefKind};

use crate::webgpu_spelling;

/// How a direct command's body is made.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum How {
    /// The encoder method of the same name with the converted arguments; an
    /// exception (a NaN viewport, say) invalidates the encoder, since these
    /// commands have no error result.
    Call,
    /// `set-bind-group`, whose offsets rules and `range-error` result live in
    /// the runtime's `setBindGroup`.
    SetBindGroup,
    /// `label` of any resource: the browser object's label (the runtime's
    /// `label`).
    Label,
    /// `set-label` of any resource (the runtime's `setLabel`, which keeps
    /// the label where a host ignores it).
    SetLabel,
}

/// The commands whose bodies call the browser directly.
pub const DIRECT: &[(&str, How)] = &[
    ("[method]gpu-compute-pass-encoder.set-pipeline", How::Call),
    ("[method]gpu-compute-pass-encoder.set-bind-group", How::SetBindGroup),
    ("[method]gpu-compute-pass-encoder.dispatch-workgroups", How::Call),
    ("[method]gpu-compute-pass-encoder.dispatch-workgroups-indirect", How::Call),
    ("[method]gpu-compute-pass-encoder.end", How::Call),
    ("[method]gpu-render-pass-encoder.set-pipeline", How::Call),
    ("[method]gpu-render-pass-encoder.set-bind-group", How::SetBindGroup),
    ("[method]gpu-render-pass-encoder.set-vertex-buffer", How::Call),
    ("[method]gpu-render-pass-encoder.set-index-buffer", How::Call),
    ("[method]gpu-render-pass-encoder.draw", How::Call),
    ("[method]gpu-render-pass-encoder.draw-indexed", How::Call),
    ("[method]gpu-render-pass-encoder.draw-indirect", How::Call),
    ("[method]gpu-render-pass-encoder.draw-indexed-indirect", How::Call),
    ("[method]gpu-render-pass-encoder.set-viewport", How::Call),
    ("[method]gpu-render-pass-encoder.set-scissor-rect", How::Call),
    ("[method]gpu-render-pass-encoder.set-blend-constant", How::Call),
    ("[method]gpu-render-pass-encoder.set-stencil-reference", How::Call),
    ("[method]gpu-render-pass-encoder.end", How::Call),
    ("[method]gpu-render-bundle-encoder.set-pipeline", How::Call),
    ("[method]gpu-render-bundle-encoder.set-bind-group", How::SetBindGroup),
    ("[method]gpu-render-bundle-encoder.set-vertex-buffer", How::Call),
    ("[method]gpu-render-bundle-encoder.set-index-buffer", How::Call),
    ("[method]gpu-render-bundle-encoder.draw", How::Call),
    ("[method]gpu-render-bundle-encoder.draw-indexed", How::Call),
    ("[method]gpu-render-bundle-encoder.draw-indirect", How::Call),
    ("[method]gpu-render-bundle-encoder.draw-indexed-indirect", How::Call),
];

/// How `name`'s body is made, if it has one: the hot commands in [`DIRECT`],
/// and, for every resource that has them, `label`, `set-label` and the
/// debug markers (`push-debug-group`, `pop-debug-group`,
/// `insert-debug-marker`): one call to the browser object each, which a
/// trip through the wasm would only make bigger.
pub fn how_of(name: &str) -> Option<How> {
    if let Some((_, how)) = DIRECT.iter().find(|(n, _)| *n == name) {
        return Some(*how);
    }
    match split(name)?.1 {
        "label" => Some(How::Label),
        "set-label" => Some(How::SetLabel),
        "push-debug-group" | "pop-debug-group" | "insert-debug-marker" => Some(How::Call),
        _ => None,
    }
}

/// How the recorder (npm/recorder.js) holds `name` back, if it does: every
/// command of [`DIRECT`] but `end` (which ends the pass, so the held
/// commands replay before it), as `call` (its raw binding, replayed with
/// the core arguments it was given) or `set-bind-group` (replayed with the
/// dynamic offsets copied when it was called, since guest memory moves on).
pub fn recorded_how(name: &str) -> Option<&'static str> {
    if split(name)?.1 == "end" {
        return None;
    }
    match DIRECT.iter().find(|(n, _)| *n == name)?.1 {
        How::Call => Some("call"),
        How::SetBindGroup => Some("set-bind-group"),
        How::Label | How::SetLabel => None,
    }
}

/// Whether `name` has a direct body, and so the raw binding calls it.
pub fn is_direct(name: &str) -> bool {
    how_of(name).is_some()
}

/// The JS name of `name`'s body (`gpuRenderPassEncoderDraw`).
pub fn body_name(name: &str) -> String {
    let (resource, method) = split(name).unwrap_or((name, ""));
    crate::raw::camel(&format!("{resource}-{method}"))
}

fn split(name: &str) -> Option<(&str, &str)> {
    name.strip_prefix("[method]")?.split_once('.')
}

/// One parameter as the body converts it: the JS expression, and its type
/// for the TypeScript declaration.
struct Param {
    name: String,
    value: String,
    ts: String,
}

struct Gen<'a> {
    resolve: &'a Resolve,
    function: &'a str,
}

impl Gen<'_> {
    fn refuse<T>(&self, what: &str) -> Result<T, String> {
        Err(format!(
            "command bodies: {} has {what}, which the body derivation does not convert",
            self.function
        ))
    }

    /// Follows type aliases.
    fn resolved(&self, ty: &Type) -> Type {
        let mut ty = *ty;
        while let Type::Id(id) = ty {
            match &self.resolve.types[id].kind {
                TypeDefKind::Type(inner) => ty = *inner,
                _ => break,
            }
        }
        ty
    }

    fn resource_name(&self, id: wit_parser::TypeId) -> String {
        let mut id = id;
        while let TypeDefKind::Type(Type::Id(inner)) = &self.resolve.types[id].kind {
            id = *inner;
        }
        self.resolve.types[id].name.clone().unwrap_or_default()
    }

    /// The JS expression passing `arg` of type `ty` to WebGPU, and its TS type.
    fn convert(&self, ty: &Type, arg: &str) -> Result<(String, String), String> {
        Ok(match self.resolved(ty) {
            Type::U32 | Type::S32 | Type::F32 | Type::F64 => (arg.to_string(), "number".into()),
            Type::U64 => (format!("rt.size64({arg})"), "bigint".into()),
            Type::String => (arg.to_string(), "string".into()),
            Type::Id(id) => match &self.resolve.types[id].kind {
                TypeDefKind::Handle(Handle::Borrow(res)) => {
                    (format!("{arg}.__gpuObject"), crate::raw::pascal(&self.resource_name(*res)))
                }
                TypeDefKind::Enum(e) => {
                    let name = self.resolve.types[id].name.clone().unwrap_or_default();
                    // jco hands over the WIT spelling; only enums spelt as
                    // WebGPU spells them can pass through untouched.
                    if e.cases.iter().any(|c| webgpu_spelling(&name, &c.name) != c.name) {
                        return self.refuse(&format!("enum {name}, whose spelling differs from WebGPU's"));
                    }
                    let cases: Vec<String> = e.cases.iter().map(|c| format!("'{}'", c.name)).collect();
                    (arg.to_string(), cases.join(" | "))
                }
                // A record of numbers (`gpu-color`): jco's object already is
                // the WebGPU dictionary (same field names, all numbers).
                TypeDefKind::Record(r) => {
                    let mut fields = Vec::new();
                    for f in &r.fields {
                        if !matches!(self.resolved(&f.ty), Type::F64 | Type::F32 | Type::U32 | Type::S32) || f.name.contains('-') {
                            return self.refuse(&format!("a record field {} that is not a plain number", f.name));
                        }
                        fields.push(format!("{}: number", f.name));
                    }
                    (arg.to_string(), format!("{{ {} }}", fields.join("; ")))
                }
                TypeDefKind::Option(inner) => match self.resolved(inner) {
                    Type::U32 | Type::S32 | Type::F32 | Type::F64 => (arg.to_string(), "number | undefined".into()),
                    Type::U64 => (format!("rt.optionSize64({arg})"), "bigint | undefined".into()),
                    Type::Id(inner_id) => match &self.resolve.types[inner_id].kind {
                        TypeDefKind::Handle(Handle::Borrow(res)) => (
                            format!("rt.optionObject({arg})"),
                            format!("{} | undefined", crate::raw::pascal(&self.resource_name(*res))),
                        ),
                        _ => return self.refuse("an option of this type"),
                    },
                    _ => return self.refuse("an option of this type"),
                },
                _ => return self.refuse("a parameter of this type"),
            },
            _ => return self.refuse("a parameter of this type"),
        })
    }
}

/// `npm/generated/commands.js` and its declarations, `commands.d.ts`.
pub fn module(resolve: &Resolve, iface: InterfaceId) -> Result<(String, String), String> {
    let mut js = String::new();
    let mut dts = String::new();
    let header = "// @generated by `cargo run -p wit-codegen` from the vendored WIT. Do not edit.\n\
                  // One body per hot pass command (and per label, set-label and debug marker),\n\
                  // calling the browser's object directly; jco's\n\
                  // glue reaches it through the class's method installed below, the raw bindings\n\
                  // (raw-bindings.js) right after lifting. Generator: crates/host/wit-codegen/src/commands.rs.\n";
    js.push_str(header);
    js.push_str("import * as rt from '../commands-runtime.js';\nimport * as shim from '../pkg/wasi_webgpu_shim.js';\n");
    dts.push_str(header);
    dts.push_str("// The methods the bodies give the shim's classes (not in wasm-bindgen's declarations).\nimport * as shim from '../pkg/wasi_webgpu_shim.js';\n\n");
    let mut install = String::new();
    let mut declared: std::collections::BTreeMap<String, Vec<String>> = Default::default();

    let functions = &resolve.interfaces[iface].functions;
    for (name, _) in DIRECT {
        if !functions.contains_key(*name) {
            return Err(format!("command bodies: the WIT has no function {name}"));
        }
    }
    for (name, func) in functions {
        let Some(how) = how_of(name) else { continue };
        let how = &how;
        let (resource, method) = split(name).ok_or_else(|| format!("command bodies: {name} is not a method"))?;
        let gen = Gen { resolve, function: name };
        let mut params = Vec::new();
        for p in func.params.iter().skip(1) {
            let arg = crate::raw::camel(&p.name);
            // set-bind-group's runtime body converts its own arguments.
            let (value, ts) = match how {
                How::Call => gen.convert(&p.ty, &arg)?,
                How::SetBindGroup | How::Label | How::SetLabel => (arg.clone(), String::new()),
            };
            params.push(Param { name: arg, value, ts });
        }
        let body = body_name(name);
        let js_method = crate::raw::camel(method);
        let class = crate::raw::pascal(resource);
        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        let _ = writeln!(js, "\n/** `{name}` */");
        match how {
            How::Call => {
                if func.result.is_some() {
                    return gen.refuse("a result (a direct call returns nothing)");
                }
                let values: Vec<&str> = params.iter().map(|p| p.value.as_str()).collect();
                let all: Vec<&str> = std::iter::once("encoder").chain(names.iter().copied()).collect();
                let _ = writeln!(js, "export function {body}({}) {{", all.join(", "));
                let _ = writeln!(js, "  try {{");
                let _ = writeln!(js, "    encoder.{js_method}({});", values.join(", "));
                let _ = writeln!(js, "  }} catch (e) {{");
                let _ = writeln!(js, "    rt.invalidate(encoder, e);");
                let _ = writeln!(js, "  }}");
                let _ = writeln!(js, "}}");
            }
            How::SetBindGroup => {
                // The runtime's body takes exactly the WIT's parameters.
                let expected = ["index", "bindGroup", "dynamicOffsetsData", "dynamicOffsetsDataStart", "dynamicOffsetsDataLength"];
                let got: Vec<String> = func.params.iter().skip(1).map(|p| crate::raw::camel(&p.name)).collect();
                if got != expected || func.result.is_none() {
                    return gen.refuse("a signature other than set-bind-group's");
                }
                let _ = writeln!(js, "export const {body} = rt.setBindGroup;");
            }
            How::Label => {
                if func.params.len() != 1 || func.result != Some(Type::String) {
                    return gen.refuse("a signature other than label's");
                }
                let _ = writeln!(js, "export const {body} = rt.label;");
            }
            How::SetLabel => {
                let got: Vec<&Type> = func.params.iter().skip(1).map(|p| &p.ty).collect();
                if got != [&Type::String] || func.result.is_some() {
                    return gen.refuse("a signature other than set-label's");
                }
                let _ = writeln!(js, "export const {body} = rt.setLabel;");
            }
        }
        let passed: Vec<&str> = std::iter::once("this.__gpuObject").chain(names.iter().copied()).collect();
        let _ = writeln!(
            install,
            "shim.{class}.prototype.{js_method} = function {js_method}({}) {{\n  return {body}({});\n}};",
            names.join(", "),
            passed.join(", ")
        );
        let ts_result = if matches!(how, How::Label) { "string" } else { "void" };
        let ts_params: Vec<String> = match how {
            How::Label => vec![],
            How::SetLabel => vec!["label: string".into()],
            How::SetBindGroup => vec![
                "index: number".into(),
                "bindGroup: shim.GpuBindGroup | undefined".into(),
                "dynamicOffsetsData?: Uint32Array".into(),
                "dynamicOffsetsDataStart?: bigint".into(),
                "dynamicOffsetsDataLength?: number".into(),
            ],
            How::Call => {
                // An option is an optional parameter where only options follow it.
                let mut out = Vec::new();
                let mut trailing_options = true;
                for p in params.iter().rev() {
                    let optional = p.ts.ends_with(" | undefined");
                    trailing_options &= optional;
                    let ts = p.ts.strip_suffix(" | undefined").filter(|_| trailing_options).unwrap_or(&p.ts);
                    let ts = ts.split(" | ").map(|t| if t.starts_with("Gpu") { format!("shim.{t}") } else { t.to_string() }).collect::<Vec<_>>().join(" | ");
                    out.push(format!("{}{}: {ts}", p.name, if trailing_options { "?" } else { "" }));
                }
                out.reverse();
                out
            }
        };
        declared
            .entry(class)
            .or_default()
            .push(format!("    {js_method}({}): {ts_result};", ts_params.join(", ")));
    }
    js.push_str("\n// The normal path: jco's glue calls the class's method, which runs the same body.\n");
    js.push_str(&install);

    dts.push_str("declare module '../pkg/wasi_webgpu_shim.js' {\n");
    for (class, methods) in &declared {
        let _ = writeln!(dts, "  interface {class} {{");
        for m in methods {
            dts.push_str(m);
            dts.push('\n');
        }
        dts.push_str("  }\n");
    }
    dts.push_str("}\n");
    Ok((js, dts))
}
