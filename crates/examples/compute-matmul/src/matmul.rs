//! C = scale * A * B on the GPU: explicit bind group and pipeline layouts,
//! an async pipeline with an overridable constant, a uniform bound at a
//! dynamic offset, a direct or indirect dispatch, and a mapped readback.

use crate::gpu::{self, GpuBufferUsage};

const SHADER: &str = r#"
struct Dims { m: u32, k: u32, n: u32, pad: u32 }
override scale: f32 = 1.0;
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let row = id.y;
  let col = id.x;
  if (row >= dims.m || col >= dims.n) { return; }
  var sum = 0.0;
  for (var i = 0u; i < dims.k; i++) {
    sum += a[row * dims.k + i] * b[i * dims.n + col];
  }
  c[row * dims.n + col] = scale * sum;
}
"#;

/// The uniform sits at this offset and is bound with a dynamic offset.
const DIMS_OFFSET: u32 = 256;

fn bytes_of(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn buffer(device: &gpu::GpuDevice, size: u64, usage: GpuBufferUsage, label: &str) -> gpu::GpuBuffer {
    device.create_buffer(&gpu::GpuBufferDescriptor {
        size,
        usage,
        mapped_at_creation: Some(false),
        label: Some(label.to_string()),
    })
}

fn storage_entry(binding: u32, ty: gpu::GpuBufferBindingType, dynamic: bool, min: u64) -> gpu::GpuBindGroupLayoutEntry {
    gpu::GpuBindGroupLayoutEntry {
        binding,
        visibility: gpu::GpuShaderStage::COMPUTE,
        buffer: Some(gpu::GpuBufferBindingLayout {
            type_: Some(ty),
            has_dynamic_offset: Some(dynamic),
            min_binding_size: Some(min),
        }),
        sampler: None,
        texture: None,
        storage_texture: None,
    }
}

pub async fn run(m: u32, k: u32, n: u32, a: &[f32], b: &[f32], scale: f32, indirect: bool) -> Result<Vec<f32>, String> {
    if m == 0 || k == 0 || n == 0 {
        return Err("dimensions must be positive".into());
    }
    let (mk, kn, mn) = (m as usize * k as usize, k as usize * n as usize, m as usize * n as usize);
    if a.len() != mk || b.len() != kn {
        return Err(format!("expected {mk} and {kn} values, got {} and {}", a.len(), b.len()));
    }
    let device = crate::device(Some(gpu::GpuDeviceDescriptor {
        required_features: None,
        required_limits: None,
        default_queue: Some(gpu::GpuQueueDescriptor { label: Some("matmul queue".into()) }),
        label: Some("matmul device".into()),
    }))
    .await?;
    let queue = device.queue();

    let storage = GpuBufferUsage::STORAGE | GpuBufferUsage::COPY_DST;
    let a_buf = buffer(&device, 4 * mk as u64, storage, "a");
    let b_buf = buffer(&device, 4 * kn as u64, storage, "b");
    let c_size = 4 * mn as u64;
    let c_buf = buffer(&device, c_size, GpuBufferUsage::STORAGE | GpuBufferUsage::COPY_SRC | GpuBufferUsage::COPY_DST, "c");
    let dims_buf = buffer(&device, u64::from(DIMS_OFFSET) + 16, GpuBufferUsage::UNIFORM | GpuBufferUsage::COPY_DST, "dims");
    let readback = buffer(&device, c_size, GpuBufferUsage::MAP_READ | GpuBufferUsage::COPY_DST, "readback");

    let write = |buf: &gpu::GpuBuffer, offset: u64, data: &[u8]| {
        queue.write_buffer_with_copy(buf, offset, data, None, None).map_err(|e| format!("write-buffer: {}", e.message))
    };
    write(&a_buf, 0, &bytes_of(a))?;
    write(&b_buf, 0, &bytes_of(b))?;
    let dims: Vec<u8> = [m, k, n, 0].iter().flat_map(|v| v.to_le_bytes()).collect();
    write(&dims_buf, u64::from(DIMS_OFFSET), &dims)?;

    let shader = device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
        code: SHADER.into(),
        compilation_hints: None,
        label: Some("matmul".into()),
    });
    use gpu::GpuBufferBindingType as T;
    let bind_group_layout = device.create_bind_group_layout(&gpu::GpuBindGroupLayoutDescriptor {
        entries: vec![
            storage_entry(0, T::ReadOnlyStorage, false, 0),
            storage_entry(1, T::ReadOnlyStorage, false, 0),
            storage_entry(2, T::Storage, false, 0),
            storage_entry(3, T::Uniform, true, 16),
        ],
        label: None,
    });
    let pipeline_layout = device.create_pipeline_layout(&gpu::GpuPipelineLayoutDescriptor {
        bind_group_layouts: vec![Some(&bind_group_layout)],
        immediate_size: None,
        label: None,
    });
    let constants = gpu::RecordGpuPipelineConstantValue::new();
    constants.add("scale", f64::from(scale));
    let pipeline = device
        .create_compute_pipeline_async(gpu::GpuComputePipelineDescriptor {
            compute: gpu::GpuProgrammableStage {
                module: &shader,
                entry_point: Some("main".into()),
                constants: Some(constants),
            },
            layout: gpu::GpuLayoutMode::Specific(&pipeline_layout),
            label: Some("matmul".into()),
        })
        .await
        .map_err(|e| format!("create-compute-pipeline-async: {}", e.message))?;
    let bind_group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
        layout: &bind_group_layout,
        entries: vec![
            gpu::GpuBindGroupEntry { binding: 0, resource: gpu::GpuBindingResource::GpuBuffer(&a_buf) },
            gpu::GpuBindGroupEntry { binding: 1, resource: gpu::GpuBindingResource::GpuBuffer(&b_buf) },
            gpu::GpuBindGroupEntry { binding: 2, resource: gpu::GpuBindingResource::GpuBuffer(&c_buf) },
            gpu::GpuBindGroupEntry {
                binding: 3,
                resource: gpu::GpuBindingResource::GpuBufferBinding(gpu::GpuBufferBinding {
                    buffer: &dims_buf,
                    offset: Some(0),
                    size: Some(16),
                }),
            },
        ],
        label: None,
    });

    let (groups_x, groups_y) = (n.div_ceil(8), m.div_ceil(8));
    let indirect_buf = if indirect {
        let buf = buffer(&device, 12, GpuBufferUsage::INDIRECT | GpuBufferUsage::COPY_DST, "indirect");
        let args: Vec<u8> = [groups_x, groups_y, 1].iter().flat_map(|v| v.to_le_bytes()).collect();
        write(&buf, 0, &args)?;
        Some(buf)
    } else {
        None
    };

    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let encoder = device.create_command_encoder(Some(&gpu::GpuCommandEncoderDescriptor { label: Some("matmul".into()) }));
    // Clearing c first makes a dispatch that wrote nothing visible as zeros.
    encoder.clear_buffer(&c_buf, None, None);
    let pass = encoder.begin_compute_pass(None);
    pass.set_pipeline(&pipeline);
    pass.set_bind_group(0, Some(&bind_group), Some(&[DIMS_OFFSET]), None, None)
        .map_err(|e| format!("set-bind-group: {}", e.message))?;
    match &indirect_buf {
        Some(buf) => pass.dispatch_workgroups_indirect(buf, 0),
        None => pass.dispatch_workgroups(groups_x, Some(groups_y), None),
    }
    pass.end();
    encoder.copy_buffer_to_buffer(&c_buf, Some(0), &readback, Some(0), Some(c_size));
    let commands = encoder.finish(None);
    queue.submit(&[&commands]);
    if let Ok(Some(error)) = device.pop_error_scope().await {
        return Err(format!("validation error: {}", error.message()));
    }

    readback
        .map_async(gpu::GpuMapMode::READ, None, None)
        .await
        .map_err(|e| format!("map-async: {}", e.message))?;
    let bytes = readback
        .get_mapped_range_get_with_copy(None, None)
        .map_err(|e| format!("get-mapped-range: {}", e.message))?;
    readback.unmap().map_err(|e| format!("unmap: {}", e.message))?;
    device.destroy();
    Ok(bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
}
