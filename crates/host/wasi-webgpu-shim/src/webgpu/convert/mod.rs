//! WIT records (as jco hands them over, read through the typed accessors in
//! `wit.rs`) turned into WebGPU descriptors, one `map_*` per type. Enum and
//! flags conversions are generated into `wit.rs`; what is here is the part
//! that needs judgement: u64 ranges, variants and resources inside records.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::handle::{gpu_object, gpu_object_or_null};
use super::wit;

pub mod native_compat;
mod render;
mod texture;

pub use render::*;
pub use texture::*;

/// WebGPU's 64-bit sizes are `[EnforceRange] unsigned long long`: a JS
/// number that must be an integer up to 2^53 - 1, or the call throws a
/// TypeError. A u64 above that saturates to 2^53 - 1, which every size,
/// offset and limit check then rejects as an ordinary validation error, the
/// same outcome the guest would get from any other out-of-range value.
pub const MAX_SAFE_SIZE: u64 = (1 << 53) - 1;

pub fn size64(value: u64) -> f64 {
    value.min(MAX_SAFE_SIZE) as f64
}

/// A WebGPU size (a JS number that is always a non-negative integer) as u64.
pub fn size64_out(value: f64) -> u64 {
    value as u64
}

#[wasm_bindgen]
extern "C" {
    /// A WIT variant as jco passes it: `{ tag, val }`.
    pub type Variant;
    #[wasm_bindgen(method, getter)]
    pub fn tag(this: &Variant) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    pub fn val(this: &Variant) -> JsValue;
}

/// The elements of a WIT `list` argument that jco passed as an array.
pub fn list(value: &JsValue) -> Array {
    if Array::is_array(value) {
        value.clone().unchecked_into()
    } else if value.is_undefined() || value.is_null() {
        // `Array.from` would throw; jco never sends this for a list.
        Array::new()
    } else {
        // Typed arrays (jco's form for lists of numbers) and anything iterable.
        Array::from(value)
    }
}

pub fn map_request_adapter_options(options: &wit::GpuRequestAdapterOptions) -> web_sys::GpuRequestAdapterOptions {
    // Every field is plain: feature level, power preference, the two booleans.
    options.plain_fields().unchecked_into()
}

pub fn map_device_descriptor(descriptor: &wit::GpuDeviceDescriptor) -> web_sys::GpuDeviceDescriptor {
    let out: web_sys::GpuDeviceDescriptor = descriptor.plain_fields().unchecked_into();
    if let Some(limits) = descriptor.required_limits() {
        out.set_required_limits(super::records::required_limits(&limits).unchecked_ref());
    }
    if let Some(queue) = descriptor.default_queue() {
        out.set_default_queue(queue.plain_fields().unchecked_ref());
    }
    out
}

pub fn map_buffer_descriptor(descriptor: &wit::GpuBufferDescriptor) -> web_sys::GpuBufferDescriptor {
    let out: web_sys::GpuBufferDescriptor = descriptor.plain_fields().unchecked_into();
    out.set_size_f64(size64(descriptor.size()));
    out.set_usage(descriptor.usage().to_bits());
    out
}

pub fn map_shader_module_descriptor(
    descriptor: &wit::GpuShaderModuleDescriptor,
) -> web_sys::GpuShaderModuleDescriptor {
    // The code and the label are plain.
    let out: web_sys::GpuShaderModuleDescriptor = descriptor.plain_fields().unchecked_into();
    if let Some(hints) = descriptor.compilation_hints() {
        let hints: Vec<web_sys::GpuShaderModuleCompilationHint> = list(&hints)
            .iter()
            .map(|hint| {
                let hint: wit::GpuShaderModuleCompilationHint = hint.unchecked_into();
                let out = hint.plain_fields();
                if let Some(layout) = hint.layout() {
                    Reflect::set(&out, &"layout".into(), &map_layout_mode(&layout)).ok();
                }
                out.unchecked_into()
            })
            .collect();
        out.set_compilation_hints(&hints);
    }
    out
}

/// `gpu-layout-mode`: `{ tag: 'auto' }` or `{ tag: 'specific', val: layout }`,
/// to WebGPU's `"auto"` or the `GPUPipelineLayout`.
pub fn map_layout_mode(mode: &JsValue) -> JsValue {
    let variant: &Variant = mode.unchecked_ref();
    match variant.tag().as_deref() {
        Some("specific") => gpu_object::<JsValue>(&variant.val()),
        _ => JsValue::from_str("auto"),
    }
}

pub fn map_programmable_stage(stage: &wit::GpuProgrammableStage) -> web_sys::GpuProgrammableStage {
    let out: web_sys::GpuProgrammableStage = stage.plain_fields().unchecked_into();
    out.set_module(&gpu_object(&stage.module()));
    if let Some(constants) = stage.constants() {
        out.set_constants(super::records::pipeline_constants(&constants).unchecked_ref());
    }
    out
}

pub fn map_compute_pipeline_descriptor(
    descriptor: &wit::GpuComputePipelineDescriptor,
) -> web_sys::GpuComputePipelineDescriptor {
    let out = descriptor.plain_fields();
    Reflect::set(&out, &"compute".into(), &map_programmable_stage(&descriptor.compute())).ok();
    Reflect::set(&out, &"layout".into(), &map_layout_mode(&descriptor.layout())).ok();
    out.unchecked_into()
}

pub fn map_bind_group_layout_descriptor(
    descriptor: &wit::GpuBindGroupLayoutDescriptor,
) -> web_sys::GpuBindGroupLayoutDescriptor {
    let entries: Vec<web_sys::GpuBindGroupLayoutEntry> = list(&descriptor.entries())
        .iter()
        .map(|entry| map_bind_group_layout_entry(entry.unchecked_ref()))
        .collect();
    let out: web_sys::GpuBindGroupLayoutDescriptor = descriptor.plain_fields().unchecked_into();
    out.set_entries(&entries);
    out
}

fn map_bind_group_layout_entry(entry: &wit::GpuBindGroupLayoutEntry) -> web_sys::GpuBindGroupLayoutEntry {
    let out: web_sys::GpuBindGroupLayoutEntry = entry.plain_fields().unchecked_into();
    out.set_visibility(entry.visibility().to_bits());
    if let Some(buffer) = entry.buffer() {
        let layout: web_sys::GpuBufferBindingLayout = buffer.plain_fields().unchecked_into();
        if let Some(min) = buffer.min_binding_size() {
            layout.set_min_binding_size_f64(size64(min));
        }
        out.set_buffer(&layout);
    }
    if let Some(sampler) = entry.sampler() {
        out.set_sampler(sampler.plain_fields().unchecked_ref());
    }
    if let Some(texture) = entry.texture() {
        // Sample type, view dimension and multisampled: all plain.
        out.set_texture(texture.plain_fields().unchecked_ref());
    }
    if let Some(storage) = entry.storage_texture() {
        // Access, format and view dimension: all plain.
        out.set_storage_texture(storage.plain_fields().unchecked_ref());
    }
    out
}

pub fn map_pipeline_layout_descriptor(
    descriptor: &wit::GpuPipelineLayoutDescriptor,
) -> web_sys::GpuPipelineLayoutDescriptor {
    // `list<option<borrow<gpu-bind-group-layout>>>`: a none is a null entry.
    let layouts: Vec<js_sys::JsNullable<web_sys::GpuBindGroupLayout>> = list(&descriptor.bind_group_layouts())
        .iter()
        .map(|layout| gpu_object_or_null(&layout).unchecked_into())
        .collect();
    let out: web_sys::GpuPipelineLayoutDescriptor = descriptor.plain_fields().unchecked_into();
    out.set_bind_group_layouts(&layouts);
    out
}

pub fn map_bind_group_descriptor(descriptor: &wit::GpuBindGroupDescriptor) -> web_sys::GpuBindGroupDescriptor {
    let entries: Vec<web_sys::GpuBindGroupEntry> = list(&descriptor.entries())
        .iter()
        .map(|entry| {
            let entry: &wit::GpuBindGroupEntry = entry.unchecked_ref();
            let out = entry.plain_fields();
            Reflect::set(&out, &"resource".into(), &map_binding_resource(&entry.resource())).ok();
            out.unchecked_into()
        })
        .collect();
    let out: web_sys::GpuBindGroupDescriptor = descriptor.plain_fields().unchecked_into();
    out.set_layout(&gpu_object(&descriptor.layout()));
    out.set_entries(&entries);
    out
}

/// `gpu-binding-resource`: every case but the buffer binding is a resource
/// that WebGPU takes as it is.
fn map_binding_resource(resource: &JsValue) -> JsValue {
    let variant: &Variant = resource.unchecked_ref();
    let val = variant.val();
    match variant.tag().as_deref() {
        Some("gpu-buffer-binding") => {
            let binding: &wit::GpuBufferBinding = val.unchecked_ref();
            let buffer: web_sys::GpuBuffer = gpu_object(&binding.buffer());
            let out = web_sys::GpuBufferBinding::new(&buffer);
            if let Some(offset) = binding.offset() {
                out.set_offset_f64(size64(offset));
            }
            if let Some(size) = binding.size() {
                out.set_size_f64(size64(size));
            }
            out.into()
        }
        _ => gpu_object::<JsValue>(&val),
    }
}

pub fn map_command_encoder_descriptor(
    descriptor: &wit::GpuCommandEncoderDescriptor,
) -> web_sys::GpuCommandEncoderDescriptor {
    descriptor.plain_fields().unchecked_into()
}

pub fn map_command_buffer_descriptor(
    descriptor: &wit::GpuCommandBufferDescriptor,
) -> web_sys::GpuCommandBufferDescriptor {
    descriptor.plain_fields().unchecked_into()
}

pub fn map_compute_pass_descriptor(
    descriptor: &wit::GpuComputePassDescriptor,
) -> web_sys::GpuComputePassDescriptor {
    let out: web_sys::GpuComputePassDescriptor = descriptor.plain_fields().unchecked_into();
    if let Some(writes) = descriptor.timestamp_writes() {
        let timestamp_writes: web_sys::GpuComputePassTimestampWrites = writes.plain_fields().unchecked_into();
        timestamp_writes.set_query_set(&gpu_object(&writes.query_set()));
        out.set_timestamp_writes(&timestamp_writes);
    }
    out
}

pub fn map_query_set_descriptor(descriptor: &wit::GpuQuerySetDescriptor) -> web_sys::GpuQuerySetDescriptor {
    // Type, count and label: all plain.
    descriptor.plain_fields().unchecked_into()
}

/// A WebGPU flags bitmask as the WIT flags object (every flag present).
pub fn flags_object(flags: &[(&str, u32)], bits: u32) -> JsValue {
    let out = Object::new();
    for (name, bit) in flags {
        Reflect::set(&out, &JsValue::from_str(name), &JsValue::from_bool(bits & bit != 0)).ok();
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_above_2_pow_53_saturate_to_an_invalid_size() {
        assert_eq!(size64(0), 0.0);
        assert_eq!(size64(1 << 32), 4294967296.0);
        assert_eq!(size64(MAX_SAFE_SIZE), 9007199254740991.0);
        assert_eq!(size64(MAX_SAFE_SIZE + 1), 9007199254740991.0);
        assert_eq!(size64(u64::MAX), 9007199254740991.0);
        assert_eq!(size64_out(4294967296.0), 1 << 32);
    }
}
