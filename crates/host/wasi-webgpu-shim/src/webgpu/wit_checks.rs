//! Host-side checks that the hand-written tables agree with the WIT. The
//! generated parts are checked by `wit-codegen --check`; these cover what a
//! person wrote: the limit getters and the error kinds.

use std::collections::BTreeSet;
use std::path::Path;

use wit_parser::{Resolve, TypeDefKind};

use super::error::{self, ErrorType, Kind};
use super::gpu::LIMIT_NAMES;
use super::wit;

fn resolve() -> (Resolve, wit_parser::InterfaceId) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../wit/deps/wasi-webgpu-0.3.0-rc.2");
    let mut resolve = Resolve::default();
    let (pkg, _) = resolve.push_dir(&dir).expect("the vendored WIT parses");
    let iface = resolve.packages[pkg].interfaces["webgpu"];
    (resolve, iface)
}

fn camel(kebab: &str) -> String {
    let mut out = String::new();
    for (i, word) in kebab.split('-').enumerate() {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first);
            } else {
                out.extend(first.to_uppercase());
            }
            out.push_str(chars.as_str());
        }
    }
    out
}

#[test]
fn limit_getters_are_exactly_the_wit_limits() {
    let (resolve, iface) = resolve();
    let wit_limits: BTreeSet<String> = resolve.interfaces[iface]
        .functions
        .values()
        .filter(|f| f.name.starts_with("[method]gpu-supported-limits."))
        .map(|f| camel(f.item_name()))
        .collect();
    let ours: BTreeSet<String> = LIMIT_NAMES.iter().map(|s| s.to_string()).collect();
    assert_eq!(ours, wit_limits);
}

fn variant_cases(resolve: &Resolve, iface: wit_parser::InterfaceId, name: &str) -> BTreeSet<String> {
    let id = resolve.interfaces[iface].types[name];
    match &resolve.types[id].kind {
        TypeDefKind::Variant(v) => v.cases.iter().map(|c| c.name.clone()).collect(),
        other => panic!("{name} is not a variant: {other:?}"),
    }
}

#[test]
fn error_kinds_are_the_wit_error_variants() {
    let (resolve, iface) = resolve();
    let tables: [(&str, ErrorType); 6] = [
        ("request-device-error-kind", error::REQUEST_DEVICE),
        ("create-query-set-error-kind", error::CREATE_QUERY_SET),
        ("pop-error-scope-error-kind", error::POP_ERROR_SCOPE),
        ("map-async-error-kind", error::MAP_ASYNC),
        ("get-mapped-range-error-kind", error::GET_MAPPED_RANGE),
        ("write-buffer-error-kind", error::WRITE_BUFFER),
    ];
    for (name, table) in tables {
        let ours: BTreeSet<String> = table.kinds.iter().map(|k| k.tag().to_string()).collect();
        assert_eq!(ours, variant_cases(&resolve, iface, name), "{name}");
        assert!(table.kinds.contains(&table.fallback), "{name}: fallback outside its kinds");
    }
    // set-bind-group-error-kind belongs to a JS body (npm/commands-runtime.js),
    // checked by web-tests/node/checks.test.mjs. unmap-error has one kind,
    // which WebGPU never raises from unmap itself.
    assert_eq!(variant_cases(&resolve, iface, "unmap-error-kind"), BTreeSet::from([Kind::AbortError.tag().to_string()]));
}

#[test]
fn color_write_all_is_every_channel() {
    let all = wit::GpuColorWrite::FLAGS.iter().find(|(name, _)| *name == "all").map(|(_, bit)| *bit);
    assert_eq!(all, Some(0xF));
    let channels: u32 = wit::GpuColorWrite::FLAGS.iter().filter(|(n, _)| *n != "all").map(|(_, b)| b).sum();
    assert_eq!(channels, 0xF);
}

#[test]
fn flags_are_distinct_bits_in_wit_order() {
    for flags in [wit::GpuBufferUsage::FLAGS, wit::GpuTextureUsage::FLAGS, wit::GpuMapMode::FLAGS, wit::GpuShaderStage::FLAGS] {
        for (i, (_, bit)) in flags.iter().enumerate() {
            assert_eq!(*bit, 1 << i);
        }
    }
}
