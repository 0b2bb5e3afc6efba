//! Example guest: an interactive scene on a wasi-gfx surface, drawn with
//! wasi:webgpu. It uses nothing but the WIT, the way guests written for the
//! native reference runtime do, so the same component runs there and here.

wit_bindgen::generate!({
    world: "example:surface/surface-demo",
    path: [
        "../../../wit/deps/wasi-webgpu-0.3.0-rc.2",
        "../../../wit/deps/wasi-gfx-frame-buffer-0.2.0",
        "../../../wit/deps/wasi-gfx-surface-0.2.0",
        "wit/world.wit",
    ],
    generate_all,
});

use std::cell::RefCell;
use std::rc::Rc;

use guest_support::{join_in_completion_order, Boxed};
use wasi::webgpu::webgpu as gpu;
use wasi_gfx::surface::surface::{CreateDesc, Key, Surface};
use wasi_gfx::surface::surface_webgpu::{Context, ContextConfiguration};

/// Side of the square drawn where the pointer went down, in pixels.
const SQUARE: u32 = 32;

const COLOURS: [(&str, gpu::GpuColor); 4] = [
    ("black", gpu::GpuColor { r: 0.0, g: 0.0, b: 0.0, a: 1.0 }),
    ("red", gpu::GpuColor { r: 1.0, g: 0.0, b: 0.0, a: 1.0 }),
    ("green", gpu::GpuColor { r: 0.0, g: 1.0, b: 0.0, a: 1.0 }),
    ("blue", gpu::GpuColor { r: 0.0, g: 0.0, b: 1.0, a: 1.0 }),
];

/// What the events change and the frames draw.
#[derive(Clone, PartialEq)]
struct Scene {
    colour: usize,
    square: Option<(u32, u32)>,
}

impl Scene {
    fn describe(&self, width: u32, height: u32) -> String {
        let square = match self.square {
            Some((x, y)) => format!("{x},{y}"),
            None => "none".into(),
        };
        format!("size={width}x{height} background={} square={square}", COLOURS[self.colour].0)
    }
}

struct Component;

impl Guest for Component {
    async fn start() {
        if let Err(e) = run().await {
            print(&format!("error: {e}"));
        }
    }
}

export!(Component);

async fn run() -> Result<(), String> {
    let surface = Surface::new(CreateDesc { height: None, width: None });
    let gpu = gpu::get_gpu();
    let adapter = gpu.request_adapter(None).await.ok_or("no adapter")?;
    let device = adapter.request_device(None).await.map_err(|e| e.message)?;
    let format = gpu.get_preferred_canvas_format();
    let context = Context::new(&surface);
    context.configure(&ContextConfiguration {
        device: &device,
        format,
        usage: None,
        view_formats: None,
        color_space: None,
        tone_mapping: None,
        alpha_mode: None,
    });
    let pipeline = square_pipeline(&device, format);
    print(&format!("started {}x{} format={format:?}", surface.width(), surface.height()));

    let scene = Rc::new(RefCell::new(Scene { colour: 0, square: None }));
    let tasks: Vec<Boxed<'_, ()>> = vec![
        Box::pin(frames(&surface, &context, &device, &pipeline, scene.clone())),
        Box::pin(keys(&surface, scene.clone())),
        Box::pin(pointer(&surface, scene.clone())),
        Box::pin(resizes(&surface)),
    ];
    join_in_completion_order(tasks).await;
    Ok(())
}

/// Draws every frame; reports the first frame after each change.
async fn frames(surface: &Surface, context: &Context, device: &gpu::GpuDevice, pipeline: &gpu::GpuRenderPipeline, scene: Rc<RefCell<Scene>>) {
    let mut frames = surface.on_frame();
    let mut count = 0u32;
    let mut reported = String::new();
    while frames.next().await.is_some() {
        count += 1;
        let current = scene.borrow().clone();
        let texture = context.get_current_texture();
        let (width, height) = (texture.width(), texture.height());
        draw(device, pipeline, &texture, &current);
        context.present();
        let now = current.describe(width, height);
        if now != reported {
            print(&format!("drawn frame={count} {now}"));
            reported = now;
        }
    }
}

async fn keys(surface: &Surface, scene: Rc<RefCell<Scene>>) {
    let mut keys = surface.on_key_down();
    while let Some(event) = keys.next().await {
        let colour = match event.key {
            Some(Key::KeyR) => 1,
            Some(Key::KeyG) => 2,
            Some(Key::KeyB) => 3,
            Some(Key::Space) => (scene.borrow().colour + 1) % COLOURS.len(),
            _ => scene.borrow().colour,
        };
        print(&format!(
            "key {:?} text={:?} shift={} ctrl={} alt={} meta={}",
            event.key, event.text, event.shift_key, event.ctrl_key, event.alt_key, event.meta_key
        ));
        scene.borrow_mut().colour = colour;
    }
}

async fn pointer(surface: &Surface, scene: Rc<RefCell<Scene>>) {
    let mut downs = surface.on_pointer_down();
    while let Some(event) = downs.next().await {
        print(&format!("pointer-down {},{}", event.x, event.y));
        scene.borrow_mut().square = Some((event.x.max(0.0) as u32, event.y.max(0.0) as u32));
    }
}

async fn resizes(surface: &Surface) {
    let mut resizes = surface.on_resize();
    while let Some(event) = resizes.next().await {
        print(&format!("resized {}x{}", event.width, event.height));
    }
}

/// A full-screen triangle in one flat colour; the scissor rectangle makes
/// it the square.
fn square_pipeline(device: &gpu::GpuDevice, format: gpu::GpuTextureFormat) -> gpu::GpuRenderPipeline {
    let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
        code: "@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
                 let p = array(vec2f(-1.0, -1.0), vec2f(3.0, -1.0), vec2f(-1.0, 3.0));
                 return vec4f(p[i], 0.0, 1.0);
               }
               @fragment fn fs() -> @location(0) vec4f { return vec4f(1.0, 1.0, 1.0, 1.0); }"
            .into(),
        compilation_hints: None,
        label: None,
    });
    device.create_render_pipeline(gpu::GpuRenderPipelineDescriptor {
        vertex: gpu::GpuVertexState { module: &module, entry_point: Some("vs".into()), constants: None, buffers: None },
        primitive: None,
        depth_stencil: None,
        multisample: None,
        fragment: Some(gpu::GpuFragmentState {
            module: &module,
            entry_point: Some("fs".into()),
            constants: None,
            targets: vec![Some(gpu::GpuColorTargetState { format, blend: None, write_mask: None })],
        }),
        layout: gpu::GpuLayoutMode::Auto,
        label: None,
    })
}

fn draw(device: &gpu::GpuDevice, pipeline: &gpu::GpuRenderPipeline, texture: &gpu::GpuTexture, scene: &Scene) {
    let view = texture.create_view(None);
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_render_pass(&gpu::GpuRenderPassDescriptor {
        color_attachments: vec![Some(gpu::GpuRenderPassColorAttachment {
            view: &view,
            depth_slice: None,
            resolve_target: None,
            clear_value: Some(COLOURS[scene.colour].1),
            load_op: gpu::GpuLoadOp::Clear,
            store_op: gpu::GpuStoreOp::Store,
        })],
        depth_stencil_attachment: None,
        occlusion_query_set: None,
        timestamp_writes: None,
        max_draw_count: None,
        label: None,
    });
    let (width, height) = (texture.width(), texture.height());
    if let Some((x, y)) = scene.square {
        let (left, top) = (x.saturating_sub(SQUARE / 2).min(width), y.saturating_sub(SQUARE / 2).min(height));
        let (w, h) = (SQUARE.min(width - left), SQUARE.min(height - top));
        if w > 0 && h > 0 {
            pass.set_pipeline(pipeline);
            pass.set_scissor_rect(left, top, w, h);
            pass.draw(3, None, None, None);
        }
    }
    pass.end();
    device.queue().submit(&[&encoder.finish(None)]);
}
