//! `npm/generated/raw-bindings.js`: the canonical-ABI half of the fast path.
//!
//! jco's `--import-bindings hybrid` glue binds a host function that carries
//! `fn[Symbol.for('cabiLower')]` straight to the guest's core import, so the
//! function gets the flattened core-wasm arguments (handles as table
//! indices, options as discriminant and payload, lists as pointer and
//! length, a return pointer for results that do not fit one value) and must
//! do the component model's lifting and lowering itself. That work is
//! entirely mechanical, so it is generated here from the WIT, for the
//! functions in [`HOT`]: each generated binding lifts the arguments into
//! exactly the JS values jco's own glue would hand the method, calls the
//! same shim method, and lowers the result. The semantics live once, in the
//! shim; only the per-call glue differs between the two paths.
//!
//! Types the hot list does not use are refused with an error naming the
//! function, so adding a function whose types need more of the ABI fails
//! at generation time rather than producing wrong glue.

use std::fmt::Write as _;

use wit_parser::{Handle, Int, InterfaceId, Resolve, SizeAlign, Type, TypeDefKind, TypeId};

/// The WIT functions a frame or a compute loop calls many times.
pub const HOT: &[&str] = &[
    // Compute pass.
    "[method]gpu-compute-pass-encoder.set-pipeline",
    "[method]gpu-compute-pass-encoder.set-bind-group",
    "[method]gpu-compute-pass-encoder.set-immediates",
    "[method]gpu-compute-pass-encoder.dispatch-workgroups",
    "[method]gpu-compute-pass-encoder.dispatch-workgroups-indirect",
    "[method]gpu-compute-pass-encoder.end",
    // Render pass.
    "[method]gpu-render-pass-encoder.set-pipeline",
    "[method]gpu-render-pass-encoder.set-bind-group",
    "[method]gpu-render-pass-encoder.set-immediates",
    "[method]gpu-render-pass-encoder.set-vertex-buffer",
    "[method]gpu-render-pass-encoder.set-index-buffer",
    "[method]gpu-render-pass-encoder.draw",
    "[method]gpu-render-pass-encoder.draw-indexed",
    "[method]gpu-render-pass-encoder.draw-indirect",
    "[method]gpu-render-pass-encoder.draw-indexed-indirect",
    "[method]gpu-render-pass-encoder.set-viewport",
    "[method]gpu-render-pass-encoder.set-scissor-rect",
    "[method]gpu-render-pass-encoder.set-blend-constant",
    "[method]gpu-render-pass-encoder.set-stencil-reference",
    "[method]gpu-render-pass-encoder.end",
    // Render bundles record the same commands.
    "[method]gpu-render-bundle-encoder.set-pipeline",
    "[method]gpu-render-bundle-encoder.set-bind-group",
    "[method]gpu-render-bundle-encoder.set-immediates",
    "[method]gpu-render-bundle-encoder.set-vertex-buffer",
    "[method]gpu-render-bundle-encoder.set-index-buffer",
    "[method]gpu-render-bundle-encoder.draw",
    "[method]gpu-render-bundle-encoder.draw-indexed",
    "[method]gpu-render-bundle-encoder.draw-indirect",
    "[method]gpu-render-bundle-encoder.draw-indexed-indirect",
    // Command encoder: the passes it opens and its copies.
    "[method]gpu-command-encoder.begin-render-pass",
    "[method]gpu-command-encoder.begin-compute-pass",
    "[method]gpu-command-encoder.copy-buffer-to-buffer",
    "[method]gpu-command-encoder.copy-buffer-to-texture",
    "[method]gpu-command-encoder.copy-texture-to-buffer",
    "[method]gpu-command-encoder.copy-texture-to-texture",
    // Queue.
    "[method]gpu-queue.submit",
    "[method]gpu-queue.write-buffer-with-copy",
    "[method]gpu-queue.write-texture-with-copy",
    // Mapped buffers.
    "[method]gpu-buffer.get-mapped-range-get-with-copy",
    "[method]gpu-buffer.get-mapped-range-set-with-copy",
];

const MAX_FLAT_PARAMS: usize = 16;

pub struct RawGen<'a> {
    resolve: &'a Resolve,
    sizes: SizeAlign,
}

/// One function's code as it is being written.
struct Body<'r> {
    out: String,
    next_var: usize,
    /// The resource classes the function mentions, in first-use order: the
    /// runtime resolves handles per class.
    classes: &'r mut Vec<String>,
    /// Module-level case tables of the enums lifted so far (name -> JS
    /// array), shared by all bindings so that no call allocates one.
    enums: &'r mut std::collections::BTreeMap<String, String>,
    function: &'r str,
}

impl Body<'_> {
    fn var(&mut self, prefix: &str) -> String {
        self.next_var += 1;
        format!("{prefix}{}", self.next_var)
    }
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{}{text}", "  ".repeat(indent));
    }
    fn class_index(&mut self, class: String) -> usize {
        if let Some(i) = self.classes.iter().position(|c| *c == class) {
            return i;
        }
        self.classes.push(class);
        self.classes.len() - 1
    }
    /// The module constant holding `e`'s case names, in discriminant order.
    fn enum_cases(&mut self, type_name: &str, e: &wit_parser::Enum) -> String {
        let name = format!("{}_CASES", pascal(type_name));
        let cases: Vec<String> = e.cases.iter().map(|c| format!("'{}'", c.name)).collect();
        self.enums
            .entry(name.clone())
            .or_insert_with(|| format!("Object.freeze([{}])", cases.join(", ")));
        name
    }
    fn unsupported<T>(&self, what: &str) -> Result<T, String> {
        Err(format!(
            "raw bindings: {} uses {what}, which the generator does not lift or lower",
            self.function
        ))
    }
}

pub(crate) fn camel(kebab: &str) -> String {
    let mut out = String::new();
    for (i, part) in kebab.split('-').enumerate() {
        if i == 0 {
            out.push_str(part);
        } else {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

pub(crate) fn pascal(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The DataView method that reads or writes (`get`/`set`) a discriminant of `tag`'s width.
fn discriminant_accessor(prefix: &str, tag: Int) -> String {
    let bits = match tag {
        Int::U8 => 8,
        Int::U16 => 16,
        Int::U32 | Int::U64 => 32,
    };
    format!("{prefix}Uint{bits}")
}

/// The core wasm types a value flattens to (the canonical ABI's `flatten`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flat {
    I32,
    I64,
    F32,
    F64,
}

impl<'a> RawGen<'a> {
    pub fn new(resolve: &'a Resolve) -> Result<Self, String> {
        let mut sizes = SizeAlign::default();
        sizes.fill(resolve).map_err(|e| format!("{e:#}"))?;
        Ok(RawGen { resolve, sizes })
    }

    fn size(&self, ty: &Type) -> usize {
        self.sizes.size(ty).size_wasm32()
    }
    fn align(&self, ty: &Type) -> usize {
        self.sizes.align(ty).align_wasm32()
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

    fn type_name(&self, id: TypeId) -> String {
        self.resolve.types[id].name.clone().unwrap_or_default()
    }

    fn flat(&self, ty: &Type, body: &Body) -> Result<Vec<Flat>, String> {
        Ok(match self.resolved(ty) {
            Type::Bool
            | Type::U8
            | Type::S8
            | Type::U16
            | Type::S16
            | Type::U32
            | Type::S32
            | Type::Char => vec![Flat::I32],
            Type::U64 | Type::S64 => vec![Flat::I64],
            Type::F32 => vec![Flat::F32],
            Type::F64 => vec![Flat::F64],
            Type::String => vec![Flat::I32, Flat::I32],
            Type::ErrorContext => return body.unsupported("error-context"),
            Type::Id(id) => match &self.resolve.types[id].kind {
                TypeDefKind::Record(r) => {
                    let mut all = Vec::new();
                    for f in &r.fields {
                        all.extend(self.flat(&f.ty, body)?);
                    }
                    all
                }
                TypeDefKind::List(_) => vec![Flat::I32, Flat::I32],
                TypeDefKind::Handle(_) | TypeDefKind::Enum(_) => vec![Flat::I32],
                TypeDefKind::Option(t) => self.variant_flat(&[None, Some(*t)], body)?,
                TypeDefKind::Result(r) => self.variant_flat(&[r.ok, r.err], body)?,
                TypeDefKind::Variant(v) => {
                    let cases: Vec<Option<Type>> = v.cases.iter().map(|c| c.ty).collect();
                    self.variant_flat(&cases, body)?
                }
                _ => return body.unsupported(&format!("type {}", self.type_name(id))),
            },
        })
    }

    /// A variant's flattening. Payloads that would need the ABI's bitcasts
    /// (different core types in one position) are refused.
    fn variant_flat(&self, cases: &[Option<Type>], body: &Body) -> Result<Vec<Flat>, String> {
        let mut joined: Vec<Flat> = Vec::new();
        for ty in cases.iter().flatten() {
            for (i, f) in self.flat(ty, body)?.into_iter().enumerate() {
                match joined.get(i) {
                    None => joined.push(f),
                    Some(existing) if *existing == f => {}
                    Some(_) => {
                        return body.unsupported(
                            "a variant whose payloads flatten to different core types",
                        )
                    }
                }
            }
        }
        let mut all = vec![Flat::I32];
        all.extend(joined);
        Ok(all)
    }

    /// What each flat argument of `ty` is, for the bad-input tests: `handle
    /// Class`, `option` or `enum N` (a discriminant with N valid values), `list
    /// SIZE ALIGN` then `len` (a list's pointer and length), or `value T`
    /// (T the core type).
    fn flat_kinds(&self, ty: &Type, out: &mut Vec<String>, body: &Body) -> Result<(), String> {
        match self.resolved(ty) {
            Type::Id(id) => match &self.resolve.types[id].kind {
                TypeDefKind::Handle(Handle::Borrow(res))
                | TypeDefKind::Handle(Handle::Own(res)) => out.push(format!(
                    "handle {}",
                    pascal(&self.type_name(self.resource_of(*res)))
                )),
                TypeDefKind::Enum(e) => out.push(format!("enum {}", e.cases.len())),
                TypeDefKind::Record(r) => {
                    for f in &r.fields {
                        self.flat_kinds(&f.ty, out, body)?;
                    }
                }
                TypeDefKind::List(elem) => {
                    out.push(format!("list {} {}", self.size(elem), self.align(elem)));
                    out.push("len".into());
                }
                TypeDefKind::Option(t) => {
                    out.push("option".into());
                    self.flat_kinds(t, out, body)?;
                }
                _ => {
                    for f in self.flat(ty, body)? {
                        out.push(format!("value {}", format!("{f:?}").to_lowercase()));
                    }
                }
            },
            Type::String => {
                out.push("list 1 1".into());
                out.push("len".into());
            }
            other => {
                for f in self.flat(&other, body)? {
                    out.push(format!("value {}", format!("{f:?}").to_lowercase()));
                }
            }
        }
        Ok(())
    }

    /// Emits the lifting of `ty` from the flat arguments `args` (consumed
    /// from the front); returns the JS expression of the value.
    fn lift_flat(
        &self,
        ty: &Type,
        args: &mut std::collections::VecDeque<String>,
        body: &mut Body,
        indent: usize,
    ) -> Result<String, String> {
        let mut take = |body: &Body| {
            args.pop_front()
                .ok_or_else(|| format!("raw bindings: {}: flat arguments ran out", body.function))
        };
        Ok(match self.resolved(ty) {
            Type::U32 => format!("({} >>> 0)", take(body)?),
            Type::S32 => take(body)?,
            // A BigInt from the guest; a number when the recorder replays
            // (npm/recorder.js), which reads u64s without making BigInts.
            Type::U64 => format!("rt.u64({})", take(body)?),
            Type::S64 => take(body)?,
            Type::F32 | Type::F64 => take(body)?,
            Type::Bool => format!("rt.bool({})", take(body)?),
            Type::String => {
                let (ptr, len) = (take(body)?, take(body)?);
                format!("mem.string({ptr}, {len})")
            }
            Type::Id(id) => {
                match &self.resolve.types[id].kind {
                    TypeDefKind::Handle(Handle::Borrow(res)) => {
                        let class = pascal(&self.type_name(self.resource_of(*res)));
                        let ci = body.class_index(class);
                        format!("tables.borrow({ci}, {})", take(body)?)
                    }
                    TypeDefKind::Handle(Handle::Own(_)) => {
                        return body.unsupported("an owned handle parameter")
                    }
                    TypeDefKind::Enum(e) => {
                        let cases = body.enum_cases(&self.type_name(id), e);
                        let v = body.var("e");
                        body.line(indent, &format!("const {v} = {cases}[{}];", take(body)?));
                        body.line(indent, &format!("if ({v} === undefined) throw new TypeError('invalid discriminant specified for {}');", pascal(&self.type_name(id))));
                        v
                    }
                    TypeDefKind::Record(r) => {
                        let mut fields = Vec::new();
                        for f in &r.fields {
                            let value = self.lift_flat(&f.ty, args, body, indent)?;
                            fields.push(format!("{}: {value}", camel(&f.name)));
                        }
                        format!("{{ {} }}", fields.join(", "))
                    }
                    TypeDefKind::List(elem) => {
                        let (ptr, len) = (take(body)?, take(body)?);
                        self.lift_list(elem, &ptr, &len, body, indent)?
                    }
                    TypeDefKind::Option(t) => {
                        let discriminant = take(body)?;
                        let payload_len = self.flat(t, body)?.len();
                        let payload: std::collections::VecDeque<String> =
                            args.drain(..payload_len.min(args.len())).collect();
                        let v = body.var("o");
                        body.line(indent, &format!("let {v};"));
                        body.line(indent, &format!("switch ({discriminant}) {{"));
                        body.line(indent + 1, &format!("case 0: {v} = undefined; break;"));
                        body.line(indent + 1, "case 1: {");
                        let mut payload = payload;
                        let value = self.lift_flat(t, &mut payload, body, indent + 2)?;
                        body.line(indent + 2, &format!("{v} = {value};"));
                        body.line(indent + 2, "break;");
                        body.line(indent + 1, "}");
                        body.line(indent + 1, "default: throw new TypeError('invalid variant discriminant for option');");
                        body.line(indent, "}");
                        v
                    }
                    _ => {
                        return body
                            .unsupported(&format!("a parameter of type {}", self.type_name(id)))
                    }
                }
            }
            other => return body.unsupported(&format!("a parameter of type {other:?}")),
        })
    }

    fn resource_of(&self, id: TypeId) -> TypeId {
        let mut id = id;
        while let TypeDefKind::Type(Type::Id(inner)) = &self.resolve.types[id].kind {
            id = *inner;
        }
        id
    }

    /// A list from guest memory. Bytes come as a view of guest memory: every
    /// method that takes `list<u8>` copies it before returning (WebGPU's
    /// writeBuffer, writeTexture and setImmediates, and the mapped range's
    /// `set`), so the view saves jco's intermediate copy.
    fn lift_list(
        &self,
        elem: &Type,
        ptr: &str,
        len: &str,
        body: &mut Body,
        indent: usize,
    ) -> Result<String, String> {
        match self.resolved(elem) {
            Type::U8 => Ok(format!("mem.bytes({ptr}, {len})")),
            Type::U32 => Ok(format!("mem.u32s({ptr}, {len})")),
            _ => {
                let (size, align) = (self.size(elem), self.align(elem));
                let base = body.var("l");
                let list = body.var("a");
                let i = body.var("i");
                body.line(
                    indent,
                    &format!("const {base} = mem.list({ptr}, {len}, {size}, {align});"),
                );
                body.line(indent, &format!("const {list} = new Array({len} >>> 0);"));
                body.line(
                    indent,
                    &format!("for (let {i} = 0; {i} < {list}.length; {i}++) {{"),
                );
                let value =
                    self.lift_mem(elem, &format!("{base} + {i} * {size}"), body, indent + 1)?;
                body.line(indent + 1, &format!("{list}[{i}] = {value};"));
                body.line(indent, "}");
                Ok(list)
            }
        }
    }

    /// Emits the lifting of `ty` stored at `addr` in guest memory.
    fn lift_mem(
        &self,
        ty: &Type,
        addr: &str,
        body: &mut Body,
        indent: usize,
    ) -> Result<String, String> {
        Ok(match self.resolved(ty) {
            Type::U8 => format!("mem.dv().getUint8({addr})"),
            Type::U16 => format!("mem.dv().getUint16({addr}, true)"),
            Type::U32 => format!("mem.dv().getUint32({addr}, true)"),
            Type::S32 => format!("mem.dv().getInt32({addr}, true)"),
            Type::U64 => format!("mem.dv().getBigUint64({addr}, true)"),
            Type::S64 => format!("mem.dv().getBigInt64({addr}, true)"),
            Type::F32 => format!("mem.dv().getFloat32({addr}, true)"),
            Type::F64 => format!("mem.dv().getFloat64({addr}, true)"),
            Type::Bool => format!("rt.bool(mem.dv().getUint8({addr}))"),
            Type::String => format!("mem.string(mem.dv().getUint32({addr}, true), mem.dv().getUint32({addr} + 4, true))"),
            Type::Id(id) => match &self.resolve.types[id].kind {
                TypeDefKind::Handle(Handle::Borrow(res)) => {
                    let class = pascal(&self.type_name(self.resource_of(*res)));
                    let ci = body.class_index(class);
                    format!("tables.borrow({ci}, mem.dv().getInt32({addr}, true))")
                }
                TypeDefKind::Handle(Handle::Own(_)) => return body.unsupported("an owned handle parameter"),
                TypeDefKind::Enum(e) => {
                    let cases = body.enum_cases(&self.type_name(id), e);
                    let load = discriminant_accessor("get", e.tag());
                    let v = body.var("e");
                    body.line(indent, &format!("const {v} = {cases}[mem.dv().{load}({addr}, true)];"));
                    body.line(indent, &format!("if ({v} === undefined) throw new TypeError('invalid discriminant specified for {}');", pascal(&self.type_name(id))));
                    v
                }
                TypeDefKind::Record(r) => {
                    let types: Vec<&Type> = r.fields.iter().map(|f| &f.ty).collect();
                    let offsets = self.sizes.field_offsets(types.iter().copied());
                    let base = body.var("r");
                    body.line(indent, &format!("const {base} = {addr};"));
                    let mut fields = Vec::new();
                    for (f, (offset, _)) in r.fields.iter().zip(offsets) {
                        let value = self.lift_mem(&f.ty, &format!("{base} + {}", offset.size_wasm32()), body, indent)?;
                        fields.push(format!("{}: {value}", camel(&f.name)));
                    }
                    format!("{{ {} }}", fields.join(", "))
                }
                TypeDefKind::List(elem) => {
                    let base = body.var("p");
                    body.line(indent, &format!("const {base} = {addr};"));
                    let (ptr, len) = (format!("mem.dv().getUint32({base}, true)"), format!("mem.dv().getUint32({base} + 4, true)"));
                    let (p, n) = (body.var("lp"), body.var("ln"));
                    body.line(indent, &format!("const {p} = {ptr}, {n} = {len};"));
                    self.lift_list(elem, &p, &n, body, indent)?
                }
                TypeDefKind::Option(t) => {
                    let offset = self.sizes.payload_offset(Int::U8, [Some(t)]).size_wasm32();
                    let base = body.var("p");
                    body.line(indent, &format!("const {base} = {addr};"));
                    let v = body.var("o");
                    body.line(indent, &format!("let {v};"));
                    body.line(indent, &format!("switch (mem.dv().getUint8({base})) {{"));
                    body.line(indent + 1, &format!("case 0: {v} = undefined; break;"));
                    body.line(indent + 1, "case 1: {");
                    let value = self.lift_mem(t, &format!("{base} + {offset}"), body, indent + 2)?;
                    body.line(indent + 2, &format!("{v} = {value};"));
                    body.line(indent + 2, "break;");
                    body.line(indent + 1, "}");
                    body.line(indent + 1, "default: throw new TypeError('invalid variant discriminant for option');");
                    body.line(indent, "}");
                    v
                }
                TypeDefKind::Variant(variant) => {
                    let tag = variant.tag();
                    let load = discriminant_accessor("get", tag);
                    let offset = self.sizes.payload_offset(tag, variant.cases.iter().map(|c| c.ty.as_ref())).size_wasm32();
                    let base = body.var("p");
                    body.line(indent, &format!("const {base} = {addr};"));
                    let v = body.var("v");
                    body.line(indent, &format!("let {v};"));
                    body.line(indent, &format!("switch (mem.dv().{load}({base}, true)) {{"));
                    for (i, case) in variant.cases.iter().enumerate() {
                        body.line(indent + 1, &format!("case {i}: {{"));
                        match &case.ty {
                            Some(t) => {
                                let value = self.lift_mem(t, &format!("{base} + {offset}"), body, indent + 2)?;
                                body.line(indent + 2, &format!("{v} = {{ tag: '{}', val: {value} }};", case.name));
                            }
                            None => body.line(indent + 2, &format!("{v} = {{ tag: '{}' }};", case.name)),
                        }
                        body.line(indent + 2, "break;");
                        body.line(indent + 1, "}");
                    }
                    body.line(indent + 1, &format!("default: throw new TypeError('invalid variant discriminant for {}');", pascal(&self.type_name(id))));
                    body.line(indent, "}");
                    v
                }
                _ => return body.unsupported(&format!("a value of type {} in memory", self.type_name(id))),
            },
            other => return body.unsupported(&format!("a value of type {other:?} in memory")),
        })
    }

    /// Emits the lowering of the JS value `value` of type `ty` to `addr`.
    /// Strings and lists are allocated with the guest's `realloc` first,
    /// which may grow memory: `mem.dv()` is read again after it.
    fn lower_mem(
        &self,
        ty: &Type,
        value: &str,
        addr: &str,
        body: &mut Body,
        indent: usize,
    ) -> Result<(), String> {
        match self.resolved(ty) {
            Type::String => body.line(indent, &format!("mem.storeString({addr}, {value});")),
            Type::Id(id) => match &self.resolve.types[id].kind {
                TypeDefKind::List(elem) if self.resolved(elem) == Type::U8 => {
                    body.line(indent, &format!("mem.storeBytes({addr}, {value});"))
                }
                TypeDefKind::Record(r) => {
                    let types: Vec<&Type> = r.fields.iter().map(|f| &f.ty).collect();
                    let offsets = self.sizes.field_offsets(types.iter().copied());
                    let base = body.var("r");
                    body.line(indent, &format!("const {base} = {addr};"));
                    for (f, (offset, _)) in r.fields.iter().zip(offsets) {
                        self.lower_mem(
                            &f.ty,
                            &format!("{value}.{}", camel(&f.name)),
                            &format!("{base} + {}", offset.size_wasm32()),
                            body,
                            indent,
                        )?;
                    }
                }
                TypeDefKind::Variant(variant) => {
                    let tag = variant.tag();
                    let store = discriminant_accessor("set", tag);
                    let offset = self
                        .sizes
                        .payload_offset(tag, variant.cases.iter().map(|c| c.ty.as_ref()))
                        .size_wasm32();
                    let v = body.var("v");
                    body.line(indent, &format!("const {v} = {value};"));
                    body.line(indent, &format!("switch ({v}.tag) {{"));
                    for (i, case) in variant.cases.iter().enumerate() {
                        body.line(indent + 1, &format!("case '{}': {{", case.name));
                        body.line(indent + 2, &format!("mem.dv().{store}({addr}, {i}, true);"));
                        if let Some(t) = &case.ty {
                            self.lower_mem(
                                t,
                                &format!("{v}.val"),
                                &format!("{addr} + {offset}"),
                                body,
                                indent + 2,
                            )?;
                        }
                        body.line(indent + 2, "break;");
                        body.line(indent + 1, "}");
                    }
                    body.line(indent + 1, &format!("default: throw new TypeError(`invalid variant tag ${{{v}.tag}} for {}`);", pascal(&self.type_name(id))));
                    body.line(indent, "}");
                }
                _ => return body.unsupported(&format!("a result of type {}", self.type_name(id))),
            },
            other => return body.unsupported(&format!("a result of type {other:?}")),
        }
        Ok(())
    }

    /// The JS of one binding: `rt.define(Class, 'method', factory)`.
    fn binding(
        &self,
        iface: InterfaceId,
        name: &str,
        enums: &mut std::collections::BTreeMap<String, String>,
    ) -> Result<(String, Vec<String>, Vec<String>), String> {
        let func = self.resolve.interfaces[iface]
            .functions
            .get(name)
            .ok_or_else(|| format!("raw bindings: the WIT has no function {name}"))?;
        let (resource, method) = name
            .strip_prefix("[method]")
            .and_then(|rest| rest.split_once('.'))
            .ok_or_else(|| format!("raw bindings: {name} is not a method"))?;
        let mut classes = Vec::new();
        let mut body = Body {
            out: String::new(),
            next_var: 0,
            classes: &mut classes,
            enums,
            function: name,
        };

        let mut flat_params = Vec::new();
        for p in &func.params {
            flat_params.extend(self.flat(&p.ty, &body)?);
        }
        let indirect = flat_params.len() > MAX_FLAT_PARAMS;
        let result_flat = match &func.result {
            Some(ty) => self.flat(ty, &body)?,
            None => Vec::new(),
        };
        let retptr = result_flat.len() > 1;

        let mut kinds = Vec::new();
        if indirect {
            let types: Vec<&Type> = func.params.iter().map(|p| &p.ty).collect();
            let align = self
                .sizes
                .params(types.iter().copied())
                .align
                .align_wasm32();
            kinds.push(format!("params {align}"));
        } else {
            for p in &func.params {
                self.flat_kinds(&p.ty, &mut kinds, &body)?;
            }
        }
        if retptr {
            kinds.push(format!(
                "ret {}",
                func.result.as_ref().map(|t| self.align(t)).unwrap_or(1)
            ));
        }
        let mut arg_names: Vec<String> = Vec::new();
        let mut values = Vec::new();
        if indirect {
            arg_names.push("params".into());
            let types: Vec<&Type> = func.params.iter().map(|p| &p.ty).collect();
            let offsets = self.sizes.field_offsets(types.iter().copied());
            let info = self.sizes.params(types.iter().copied());
            body.line(
                2,
                &format!(
                    "mem.check(params, {}, {});",
                    info.size.size_wasm32(),
                    info.align.align_wasm32()
                ),
            );
            for (p, (offset, _)) in func.params.iter().zip(offsets) {
                values.push(self.lift_mem(
                    &p.ty,
                    &format!("params + {}", offset.size_wasm32()),
                    &mut body,
                    2,
                )?);
            }
        } else {
            arg_names = (0..flat_params.len()).map(|i| format!("arg{i}")).collect();
            let mut args: std::collections::VecDeque<String> = arg_names.iter().cloned().collect();
            for p in &func.params {
                values.push(self.lift_flat(&p.ty, &mut args, &mut body, 2)?);
            }
        }
        if retptr {
            arg_names.push("ret".into());
        }
        let receiver = values.remove(0);
        // A command with a direct body (commands.rs) calls it with the GPU
        // object behind the handle; every other function calls the shim's
        // method, as jco's glue does.
        let direct = crate::commands::is_direct(name);
        let call = if direct {
            values.insert(0, format!("{receiver}.__gpuObject"));
            format!("body({})", values.join(", "))
        } else {
            format!("{receiver}.{}({})", camel(method), values.join(", "))
        };

        match &func.result {
            None => body.line(2, &format!("{call};")),
            Some(ty) => {
                let resolved = self.resolved(ty);
                let result = match resolved {
                    Type::Id(id) => match &self.resolve.types[id].kind {
                        TypeDefKind::Result(r) => Some((r.ok, r.err)),
                        _ => None,
                    },
                    _ => None,
                };
                match (result, retptr) {
                    (Some((ok, err)), true) => {
                        // jco's rule: a thrown value that is not an Error, or an
                        // Error carrying `payload`, is the err case; anything
                        // else traps.
                        let offset = self
                            .sizes
                            .payload_offset(Int::U8, [ok.as_ref(), err.as_ref()])
                            .size_wasm32();
                        // The return pointer is checked before the call, so a
                        // bad one traps without the command taking effect.
                        body.line(
                            2,
                            &format!("mem.check(ret, {}, {});", self.size(ty), self.align(ty)),
                        );
                        body.line(2, "let value, failed = false;");
                        body.line(2, &format!("try {{ value = {call}; }} catch (e) {{ value = rt.errorPayload(e); failed = true; }}"));
                        body.line(2, "if (failed) {");
                        if let Some(err) = err {
                            self.lower_mem(
                                &err,
                                "value",
                                &format!("ret + {offset}"),
                                &mut body,
                                3,
                            )?;
                        }
                        body.line(3, "mem.dv().setUint8(ret, 1);");
                        body.line(2, "} else {");
                        if let Some(ok) = ok {
                            self.lower_mem(&ok, "value", &format!("ret + {offset}"), &mut body, 3)?;
                        }
                        body.line(3, "mem.dv().setUint8(ret, 0);");
                        body.line(2, "}");
                    }
                    (None, false) => match resolved {
                        Type::Id(id) => match &self.resolve.types[id].kind {
                            TypeDefKind::Handle(Handle::Own(res)) => {
                                let class = pascal(&self.type_name(self.resource_of(*res)));
                                let ci = body.class_index(class);
                                body.line(2, &format!("return tables.own({ci}, {call});"));
                            }
                            _ => return body.unsupported("this result type"),
                        },
                        _ => return body.unsupported("this result type"),
                    },
                    _ => return body.unsupported("this result type"),
                }
            }
        }
        let uses_memory = body.out.contains("mem.");
        let code = std::mem::take(&mut body.out);
        let class = pascal(resource);
        let mut out = String::new();
        let _ = writeln!(out, "// {name}");
        let _ = writeln!(
            out,
            "rt.define(shim.{class}, '{}', '{name}', ({{ memory, realloc, resourceTables }}) => {{",
            camel(method)
        );
        let class_list: Vec<String> = classes.iter().map(|c| format!("shim.{c}")).collect();
        let _ = writeln!(
            out,
            "  const tables = rt.tables(resourceTables, [{}], '{name}');",
            class_list.join(", ")
        );
        if uses_memory {
            let _ = writeln!(out, "  const mem = rt.memory(memory, realloc, '{name}');");
        }
        if direct {
            let _ = writeln!(out, "  const body = cmd.{};", crate::commands::body_name(name));
        }
        let _ = writeln!(
            out,
            "  return function {}({}) {{",
            camel(&format!("{resource}-{method}")),
            arg_names.join(", ")
        );
        // Commands the recorder holds back are replayed before this call
        // runs (npm/recorder.js; a no-op while nothing is held).
        let _ = writeln!(out, "    rt.flushRecorded();");
        out.push_str(&code);
        let _ = writeln!(out, "  }};");
        match crate::commands::recorded_how(name) {
            // What the recorder needs to hold the command back in wasm: its
            // core arguments' kinds, and for set-bind-group the classes and
            // body its replay calls with the offsets it copied.
            Some(how) => {
                let quoted: Vec<String> = kinds.iter().map(|k| format!("'{k}'")).collect();
                // The replay's reader: each core argument from its 8-byte
                // field of the record (field i + 1; `w` is the record's
                // index in 32-bit words), a u64 as a number.
                let reads: Vec<String> = kinds
                    .iter()
                    .enumerate()
                    .map(|(i, kind)| {
                        let word = 2 * (i + 1);
                        match kind.as_str() {
                            "value i64" => format!("v.u32[w + {}] * 4294967296 + v.u32[w + {word}]", word + 1),
                            "value f32" => format!("v.f32[w + {word}]"),
                            "value f64" => format!("v.f64[(w + {word}) >> 1]"),
                            _ => format!("v.i32[w + {word}]"),
                        }
                    })
                    .collect();
                let read = format!(", read: (v, w, f) => f({})", reads.join(", "));
                let extra = if how == "set-bind-group" {
                    let list: Vec<String> = classes.iter().map(|c| format!("shim.{c}")).collect();
                    format!(
                        ", classes: [{}], body: cmd.{}",
                        list.join(", "),
                        crate::commands::body_name(name)
                    )
                } else {
                    read
                };
                let _ = writeln!(
                    out,
                    "}}, {{ how: '{how}', kinds: [{}]{extra} }});",
                    quoted.join(", ")
                );
            }
            None => {
                let _ = writeln!(out, "}});");
            }
        }
        Ok((out, classes, kinds))
    }

    /// `npm/generated/raw-bindings.js`, and `web-tests/generated/raw-abi.json` for the tests.
    pub fn module(&self, iface: InterfaceId) -> Result<(String, String), String> {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "// @generated by `cargo run -p wit-codegen` from the vendored WIT. Do not edit."
        );
        let _ = writeln!(
            out,
            "// Canonical-ABI bindings for jco's `--import-bindings hybrid`: each lifts the"
        );
        let _ = writeln!(
            out,
            "// guest's core arguments into the values jco's own glue would pass, calls the"
        );
        let _ = writeln!(
            out,
            "// same shim method, and lowers its result. Generator: crates/host/wit-codegen/src/raw.rs."
        );
        let _ = writeln!(out, "import * as rt from '../raw-runtime.js';");
        let _ = writeln!(out, "import * as cmd from './commands.js';");
        let _ = writeln!(out, "import * as shim from '../pkg/wasi_webgpu_shim.js';");
        let _ = writeln!(out);
        let _ = writeln!(out, "/** The WIT functions that have a raw binding. */");
        let _ = writeln!(out, "export const RAW_FUNCTIONS = Object.freeze([");
        for name in HOT {
            let _ = writeln!(out, "  '{name}',");
        }
        let _ = writeln!(out, "]);");
        let mut all_classes: Vec<String> = Vec::new();
        let mut bindings = String::new();
        let mut abi = Vec::new();
        let mut enums = std::collections::BTreeMap::new();
        for name in HOT {
            let (code, classes, kinds) = self.binding(iface, name, &mut enums)?;
            let quoted = |items: &[String]| {
                items
                    .iter()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            abi.push(format!(
                "  \"{name}\": {{ \"args\": [{}], \"classes\": [{}] }}",
                quoted(&kinds),
                quoted(&classes)
            ));
            bindings.push('\n');
            bindings.push_str(&code);
            for class in classes {
                if !all_classes.contains(&class) {
                    all_classes.push(class);
                }
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "// Enum case names in discriminant order.");
        for (name, cases) in &enums {
            let _ = writeln!(out, "const {name} = {cases};");
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "// Reps for every class a raw binding takes or returns, before any object exists."
        );
        let list: Vec<String> = all_classes.iter().map(|c| format!("shim.{c}")).collect();
        let _ = writeln!(out, "rt.prepareClasses([{}]);", list.join(", "));
        let _ = writeln!(out, "// The recorder wraps the shim's classes' methods once it holds commands.");
        let _ = writeln!(out, "rt.useShim(shim);");
        out.push_str(&bindings);
        // Each raw binding's core arguments (see `flat_kinds`) and resource
        // classes: the bad-input tests derive their cases from it.
        let abi_json = format!("{{\n{}\n}}\n", abi.join(",\n"));
        Ok((out, abi_json))
    }
}
