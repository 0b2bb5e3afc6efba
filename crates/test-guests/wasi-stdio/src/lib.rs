//! Test guest for the package's own WASI 0.2 (npm/wasi/), built for
//! wasm32-wasip2: std's println!, eprintln!, env, time and stdin go through
//! wasi:cli, wasi:clocks and wasi:io; the wasip2 crate reaches the rest.

wit_bindgen::generate!({
    world: "test:wasi-stdio/guest",
    path: ["../../../wit/deps/wasi-webgpu-0.3.0-rc.2", "wit/world.wit"],
    generate_all,
});

use std::io::Read as _;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use wasi::webgpu::webgpu as gpu;
use gpu::GpuBufferUsage;

const SHADER: &str = r#"
@group(0) @binding(0) var<storage, read_write> values: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x < arrayLength(&values)) { values[id.x] = values[id.x] * values[id.x]; }
}
"#;

struct Component;

impl Guest for Component {
    async fn start() {
        let args: Vec<String> = std::env::args().collect();
        println!("args: {args:?}");
        println!("env WASI_STDIO_GREETING: {:?}", std::env::var("WASI_STDIO_GREETING").ok());
        let mut input = String::new();
        let read = std::io::stdin().read_to_string(&mut input);
        println!("stdin: {:?}", read.map_err(|e| e.to_string()));
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        // 2020-01-01 and 2100-01-01: a clock that works tells a time between.
        println!("wall clock plausible: {}", (1_577_836_800..4_102_444_800).contains(&since_epoch));
        let (a, b) = (wasip2::random::random::get_random_u64(), wasip2::random::random::get_random_u64());
        let bytes = wasip2::random::random::get_random_bytes(16);
        println!("random: two u64s differ {}, {} bytes", a != b, bytes.len());
        let seed = wasip2::random::insecure_seed::insecure_seed();
        println!("insecure seed stable: {}", seed == wasip2::random::insecure_seed::insecure_seed());
        eprintln!("this line goes to stderr");
        let started = Instant::now();
        match squares(&[1, 2, 3, 4, 12]).await {
            Ok(values) => println!("gpu squares: {values:?}"),
            Err(e) => println!("gpu error: {e}"),
        }
        println!("monotonic clock moved forward: {}", started.elapsed().as_nanos() > 0);
    }

    fn stdout_cycles(count: u32) {
        for i in 0..count {
            let stream = wasip2::cli::stdout::get_stdout();
            let line = format!("cycle {i}\n");
            if let Err(e) = stream.blocking_write_and_flush(line.as_bytes()) {
                eprintln!("cycle {i} failed: {e:?}");
                return;
            }
            drop(stream);
        }
    }

    fn exit_with(code: u8) {
        println!("exiting with {code}");
        std::process::exit(i32::from(code));
    }

    fn exit_with_code(code: u8) {
        println!("exiting with code {code}");
        wasip2::cli::exit::exit_with_code(code);
    }

    fn partial_line() {
        eprint!("partial ");
        eprint!("stderr");
        print!("partial stdout");
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
    }
}

export!(Component);

async fn squares(numbers: &[u32]) -> Result<Vec<u32>, String> {
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
    queue.write_buffer_with_copy(&values, 0, &bytes, None, None).map_err(|e| e.message)?;
    let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor { code: SHADER.into(), compilation_hints: None, label: None });
    let pipeline = device.create_compute_pipeline(gpu::GpuComputePipelineDescriptor {
        compute: gpu::GpuProgrammableStage { module: &module, entry_point: Some("main".into()), constants: None },
        layout: gpu::GpuLayoutMode::Auto,
        label: None,
    });
    let bind_group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
        layout: &pipeline.get_bind_group_layout(0),
        entries: vec![gpu::GpuBindGroupEntry { binding: 0, resource: gpu::GpuBindingResource::GpuBuffer(&values) }],
        label: None,
    });
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_compute_pass(None);
    pass.set_pipeline(&pipeline);
    pass.set_bind_group(0, Some(&bind_group), None, None, None).map_err(|e| e.message)?;
    pass.dispatch_workgroups(1, None, None);
    pass.end();
    encoder.copy_buffer_to_buffer(&values, None, &readback, None, None);
    queue.submit(&[&encoder.finish(None)]);
    readback.map_async(gpu::GpuMapMode::READ, None, None).await.map_err(|e| e.message)?;
    let out = readback.get_mapped_range_get_with_copy(None, None).map_err(|e| e.message)?;
    device.destroy();
    Ok(out.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
}
