//! Example guest: Collatz step counts on the GPU, printed through the
//! `print` import the way the native runtime's examples print. The CLI's
//! `run` and the package tests run it in Chromium, Firefox and Deno.

wit_bindgen::generate!({
    world: "example:hello/hello",
    path: ["../../../wit/deps/wasi-webgpu-0.3.0-rc.2", "wit/world.wit"],
    generate_all,
});

use wasi::webgpu::webgpu as gpu;
use gpu::GpuBufferUsage;

const SHADER: &str = r#"
@group(0) @binding(0) var<storage, read_write> values: array<u32>;

// Steps to reach 1, or 0xffffffff when the value would overflow.
fn collatz(start: u32) -> u32 {
  var n = start;
  var steps = 0u;
  while (n > 1u) {
    if (n % 2u == 0u) { n = n / 2u; } else {
      if (n >= 1431655765u) { return 4294967295u; }
      n = 3u * n + 1u;
    }
    steps = steps + 1u;
  }
  return steps;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x < arrayLength(&values)) { values[id.x] = collatz(values[id.x]); }
}
"#;

const DEFAULT_NUMBERS: [u32; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 27];

struct Component;

impl Guest for Component {
    async fn start() {
        match steps(&DEFAULT_NUMBERS).await {
            Ok(result) => print(&report(&DEFAULT_NUMBERS, &result)),
            Err(e) => print(&format!("error: {e}")),
        }
    }

    async fn collatz(numbers: Vec<u32>) -> Result<Vec<u32>, String> {
        steps(&numbers).await
    }

    async fn misuse() {
        let Some(adapter) = gpu::get_gpu().request_adapter(None).await else { return };
        let Ok(device) = adapter.request_device(None).await else { return };
        // MAP_READ and MAP_WRITE together are invalid.
        device.create_buffer(&gpu::GpuBufferDescriptor {
            size: 4,
            usage: GpuBufferUsage::MAP_READ | GpuBufferUsage::MAP_WRITE,
            mapped_at_creation: None,
            label: Some("misused".into()),
        });
        device.queue().submit(&[]);
        device.queue().on_submitted_work_done().await;
        print("made a buffer with MAP_READ | MAP_WRITE");
    }
}

impl exports::wasi::cli::run::Guest for Component {
    async fn run() -> Result<(), ()> {
        let result = match steps(&DEFAULT_NUMBERS).await {
            Ok(result) => result,
            Err(e) => {
                print(&format!("error: {e}"));
                return Err(());
            }
        };
        print(&report(&DEFAULT_NUMBERS, &result));
        let expected: Vec<u32> = DEFAULT_NUMBERS.iter().map(|&n| cpu_steps(n)).collect();
        if result != expected {
            print(&format!("error: the CPU says {expected:?}"));
            return Err(());
        }
        print("verified against the CPU");
        Ok(())
    }
}

export!(Component);

fn report(numbers: &[u32], steps: &[u32]) -> String {
    format!("collatz steps for {numbers:?}: {steps:?}")
}

fn cpu_steps(start: u32) -> u32 {
    let (mut n, mut steps) = (u64::from(start), 0);
    while n > 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

async fn steps(numbers: &[u32]) -> Result<Vec<u32>, String> {
    if numbers.contains(&0) {
        return Err("0 has no Collatz sequence".into());
    }
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let adapter = gpu::get_gpu().request_adapter(None).await.ok_or("no WebGPU adapter")?;
    let device = adapter.request_device(None).await.map_err(|e| format!("request-device: {}", e.message))?;
    let size = 4 * numbers.len() as u64;
    let buffer = |usage, label: &str| {
        device.create_buffer(&gpu::GpuBufferDescriptor { size, usage, mapped_at_creation: None, label: Some(label.into()) })
    };
    let values = buffer(GpuBufferUsage::STORAGE | GpuBufferUsage::COPY_DST | GpuBufferUsage::COPY_SRC, "values");
    let readback = buffer(GpuBufferUsage::MAP_READ | GpuBufferUsage::COPY_DST, "readback");
    let bytes: Vec<u8> = numbers.iter().flat_map(|n| n.to_le_bytes()).collect();
    let queue = device.queue();
    queue
        .write_buffer_with_copy(&values, 0, &bytes, None, None)
        .map_err(|e| format!("write-buffer: {}", e.message))?;

    let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
        code: SHADER.into(),
        compilation_hints: None,
        label: Some("collatz".into()),
    });
    let pipeline = device
        .create_compute_pipeline_async(gpu::GpuComputePipelineDescriptor {
            compute: gpu::GpuProgrammableStage { module: &module, entry_point: Some("main".into()), constants: None },
            layout: gpu::GpuLayoutMode::Auto,
            label: Some("collatz".into()),
        })
        .await
        .map_err(|e| format!("create-compute-pipeline-async: {}", e.message))?;
    let bind_group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
        layout: &pipeline.get_bind_group_layout(0),
        entries: vec![gpu::GpuBindGroupEntry { binding: 0, resource: gpu::GpuBindingResource::GpuBuffer(&values) }],
        label: None,
    });
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_compute_pass(None);
    pass.set_pipeline(&pipeline);
    pass.set_bind_group(0, Some(&bind_group), None, None, None)
        .map_err(|e| format!("set-bind-group: {}", e.message))?;
    pass.dispatch_workgroups((numbers.len() as u32).div_ceil(64), None, None);
    pass.end();
    encoder.copy_buffer_to_buffer(&values, None, &readback, None, None);
    queue.submit(&[&encoder.finish(None)]);

    readback
        .map_async(gpu::GpuMapMode::READ, None, None)
        .await
        .map_err(|e| format!("map-async: {}", e.message))?;
    let out = readback
        .get_mapped_range_get_with_copy(None, None)
        .map_err(|e| format!("get-mapped-range: {}", e.message))?;
    device.destroy();
    Ok(out.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
}
