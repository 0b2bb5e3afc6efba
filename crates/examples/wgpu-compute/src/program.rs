//! The program: plain wgpu, nothing of the host. The same source runs as a
//! wasi:webgpu component and on wgpu's own WebGPU backend; only the line
//! that makes the instance differs (lib.rs).

use wgpu::util::DeviceExt;

const SHADER: &str = r#"
struct Params { count: u32, offset: f32 }
@group(0) @binding(0) var<storage, read> input: array<u32>;
@group(0) @binding(1) var<storage, read_write> steps: array<u32>;
@group(0) @binding(2) var<storage, read_write> squares: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

fn collatz(start: u32) -> u32 {
  var n = start;
  var count = 0u;
  while (n > 1u) {
    if (n % 2u == 0u) { n = n / 2u; } else {
      if (n >= 1431655765u) { return 4294967295u; }
      n = 3u * n + 1u;
    }
    count += 1u;
  }
  return count;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= params.count) { return; }
  steps[id.x] = collatz(input[id.x]);
  let x = f32(input[id.x]);
  squares[id.x] = x * x + params.offset;
}
"#;

/// The uniform sits at this offset in its buffer, bound with a dynamic offset.
const PARAMS_OFFSET: u32 = 256;

async fn device(instance: &wgpu::Instance) -> Result<(wgpu::Device, wgpu::Queue), String> {
    let adapter = instance.request_adapter(&wgpu::RequestAdapterOptions::default()).await.map_err(|e| format!("no adapter: {e}"))?;
    adapter
        .request_device(&wgpu::DeviceDescriptor { label: Some("wgpu-compute"), ..Default::default() })
        .await
        .map_err(|e| format!("no device: {e}"))
}

/// Waits for a buffer slice's mapping, as a web program must (no blocking poll).
async fn map(slice: wgpu::BufferSlice<'_>, mode: wgpu::MapMode) -> Result<(), String> {
    let (sender, receiver) = futures_channel::oneshot::channel();
    slice.map_async(mode, move |result| drop(sender.send(result)));
    receiver.await.map_err(|_| "the map callback was dropped".to_string())?.map_err(|e| format!("map_async: {e}"))
}

pub async fn run(instance: &wgpu::Instance, numbers: &[u32]) -> Result<(Vec<u32>, Vec<f32>), String> {
    if numbers.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let (device, queue) = device(instance).await?;
    let count = numbers.len() as u64;

    let input = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("input"),
        contents: &numbers.iter().flat_map(|n| n.to_le_bytes()).collect::<Vec<u8>>(),
        usage: wgpu::BufferUsages::STORAGE,
    });
    let output = |label| {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: 4 * count,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        })
    };
    let (steps, squares) = (output("steps"), output("squares"));
    let params = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("params"),
        size: u64::from(PARAMS_OFFSET) + 16,
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut params_bytes = (numbers.len() as u32).to_le_bytes().to_vec();
    params_bytes.extend_from_slice(&0.5f32.to_le_bytes());
    params_bytes.extend_from_slice(&[0; 8]);
    // Through a staging view, as queue.write_buffer_with hands one out.
    if let Some(mut view) = queue.write_buffer_with(&params, u64::from(PARAMS_OFFSET), wgpu::BufferSize::new(16).ok_or("size")?) {
        view.copy_from_slice(&params_bytes);
    }
    let readback = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("readback"),
        size: 8 * count,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });

    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor { label: Some("collatz"), source: wgpu::ShaderSource::Wgsl(SHADER.into()) });
    let storage = |binding, read_only| wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer { ty: wgpu::BufferBindingType::Storage { read_only }, has_dynamic_offset: false, min_binding_size: None },
        count: None,
    };
    let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("collatz"),
        entries: &[
            storage(0, true),
            storage(1, false),
            storage(2, false),
            wgpu::BindGroupLayoutEntry {
                binding: 3,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer { ty: wgpu::BufferBindingType::Uniform, has_dynamic_offset: true, min_binding_size: wgpu::BufferSize::new(16) },
                count: None,
            },
        ],
    });
    let pipeline_layout =
        device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor { label: Some("collatz"), bind_group_layouts: &[Some(&layout)], immediate_size: 0 });
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some("collatz"),
        layout: Some(&pipeline_layout),
        module: &module,
        entry_point: Some("main"),
        compilation_options: Default::default(),
        cache: None,
    });
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("collatz"),
        layout: &layout,
        entries: &[
            wgpu::BindGroupEntry { binding: 0, resource: input.as_entire_binding() },
            wgpu::BindGroupEntry { binding: 1, resource: steps.as_entire_binding() },
            wgpu::BindGroupEntry { binding: 2, resource: squares.as_entire_binding() },
            wgpu::BindGroupEntry {
                binding: 3,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding { buffer: &params, offset: 0, size: wgpu::BufferSize::new(16) }),
            },
        ],
    });

    let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("collatz") });
    {
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some("collatz"), timestamp_writes: None });
        pass.set_pipeline(&pipeline);
        pass.set_bind_group(0, &bind_group, &[PARAMS_OFFSET]);
        pass.dispatch_workgroups((numbers.len() as u32).div_ceil(64), 1, 1);
    }
    encoder.copy_buffer_to_buffer(&steps, 0, &readback, 0, 4 * count);
    encoder.copy_buffer_to_buffer(&squares, 0, &readback, 4 * count, 4 * count);
    queue.submit([encoder.finish()]);

    let slice = readback.slice(..);
    map(slice, wgpu::MapMode::Read).await?;
    let (steps_out, squares_out) = {
        let bytes = slice.get_mapped_range().map_err(|e| format!("get_mapped_range: {e}"))?;
        let words: Vec<[u8; 4]> = bytes.chunks_exact(4).map(|c| [c[0], c[1], c[2], c[3]]).collect();
        let (a, b) = words.split_at(numbers.len());
        (a.iter().map(|w| u32::from_le_bytes(*w)).collect(), b.iter().map(|w| f32::from_le_bytes(*w)).collect())
    };
    readback.unmap();
    Ok((steps_out, squares_out))
}

/// What wgpu reports for a buffer with both map usages: the error scope
/// catches one; the uncaptured-error handler hears the same mistake made
/// outside any scope.
pub async fn misuse(instance: &wgpu::Instance) -> Vec<String> {
    let (device, queue) = match device(instance).await {
        Ok(pair) => pair,
        Err(e) => return vec![e],
    };
    let heard = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let log = heard.clone();
    let uncaptured = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = uncaptured.clone();
    device.on_uncaptured_error(std::sync::Arc::new(move |error: wgpu::Error| {
        if let Ok(mut sink) = sink.lock() {
            sink.push(format!("uncaptured {}", kind(&error)));
        }
    }));
    let bad = wgpu::BufferDescriptor {
        label: Some("both map usages"),
        size: 16,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::MAP_WRITE,
        mapped_at_creation: false,
    };
    let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let _ = device.create_buffer(&bad);
    match scope.pop().await {
        Some(error) => log.borrow_mut().push(format!("scope caught {}", kind(&error))),
        None => log.borrow_mut().push("scope caught nothing".into()),
    }
    let _ = device.create_buffer(&bad);
    // The handler hears it once the browser has dispatched the error, after
    // the device has been ticked: submit (nothing) and wait until it has.
    // The count only bounds a browser that never dispatches: the loop ends
    // as soon as the handler heard (a round is 0.3 to 4 ms; a loaded
    // machine's Chromium took more than 100 rounds once).
    for _ in 0..2000 {
        if uncaptured.lock().map(|u| !u.is_empty()).unwrap_or(true) {
            break;
        }
        queue.submit([]);
        let (sender, receiver) = futures_channel::oneshot::channel();
        queue.on_submitted_work_done(move || {
            let _ = sender.send(());
        });
        let _ = receiver.await;
    }
    let mut out = heard.borrow().clone();
    if let Ok(u) = uncaptured.lock() {
        out.extend(u.iter().cloned());
    }
    out
}

fn kind(error: &wgpu::Error) -> &'static str {
    match error {
        wgpu::Error::OutOfMemory { .. } => "out-of-memory",
        wgpu::Error::Validation { .. } => "validation",
        wgpu::Error::Internal { .. } => "internal",
    }
}
