//! The app: egui widgets drawn by egui-wgpu's renderer, in plain egui and
//! wgpu. Nothing here knows it runs as a component.

use egui::Color32;

/// The panel's colour after 0, 1, 2, ... clicks (cycling): what a test reads
/// back to see a click land.
pub const PANEL: [Color32; 3] = [
    Color32::from_rgb(32, 40, 96),
    Color32::from_rgb(24, 112, 56),
    Color32::from_rgb(128, 48, 32),
];
/// The swatch in the bottom-right corner: grey while the text field is
/// empty, orange once something is typed.
pub const SWATCH_EMPTY: Color32 = Color32::from_rgb(96, 96, 96);
pub const SWATCH_TYPED: Color32 = Color32::from_rgb(240, 160, 0);
/// Where the swatch is, in points from the bottom-right corner.
pub const SWATCH_SIZE: f32 = 40.0;

pub struct App {
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    device: wgpu::Device,
    queue: wgpu::Queue,
    renderer: egui_wgpu::Renderer,
    context: egui::Context,
    clicks: u32,
    text: String,
}

impl App {
    pub async fn new(
        instance: &wgpu::Instance,
        surface: wgpu::Surface<'static>,
        width: u32,
        height: u32,
    ) -> Result<Self, String> {
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                compatible_surface: Some(&surface),
                ..Default::default()
            })
            .await
            .map_err(|e| format!("no adapter: {e}"))?;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor::default())
            .await
            .map_err(|e| format!("no device: {e}"))?;
        let config = surface
            .get_default_config(&adapter, width, height)
            .ok_or("the surface does not suit the adapter")?;
        surface.configure(&device, &config);
        // No dithering: egui's colours reach the canvas as they are, so a
        // test can read them back exactly.
        let options = egui_wgpu::RendererOptions {
            dithering: false,
            ..Default::default()
        };
        let renderer = egui_wgpu::Renderer::new(&device, config.format, options);
        Ok(App {
            surface,
            config,
            device,
            queue,
            renderer,
            context: egui::Context::default(),
            clicks: 0,
            text: String::new(),
        })
    }

    /// Runs egui on one frame's input and draws the result; returns a line
    /// for each change the input made (a click, an edit).
    pub fn frame(
        &mut self,
        input: egui::RawInput,
        width: u32,
        height: u32,
    ) -> Result<Vec<String>, String> {
        if (width, height) != (self.config.width, self.config.height) && width > 0 && height > 0 {
            self.config.width = width;
            self.config.height = height;
            self.surface.configure(&self.device, &self.config);
        }
        let mut lines = Vec::new();
        let (clicks, text) = (&mut self.clicks, &mut self.text);
        let output = self.context.run_ui(input, |ui| {
            let fill = PANEL[*clicks as usize % PANEL.len()];
            egui::CentralPanel::default()
                .frame(egui::Frame::NONE.fill(fill).inner_margin(12.0))
                .show(ui, |ui| {
                    let button = ui.add_sized(
                        [160.0, 40.0],
                        egui::Button::new(format!("Clicks: {clicks}")),
                    );
                    if button.clicked() {
                        *clicks += 1;
                        lines.push(format!("clicked {clicks}"));
                    }
                    ui.add_space(12.0);
                    let edit = ui.add_sized(
                        [200.0, 24.0],
                        egui::TextEdit::singleline(text).hint_text("type here"),
                    );
                    if edit.gained_focus() {
                        lines.push("text field focused".into());
                    }
                    if edit.changed() {
                        lines.push(format!("text: {text}"));
                    }
                    let corner = ui.max_rect().max + egui::vec2(12.0, 12.0);
                    let swatch = egui::Rect::from_min_max(
                        corner - egui::vec2(SWATCH_SIZE, SWATCH_SIZE),
                        corner,
                    );
                    ui.painter().rect_filled(
                        swatch,
                        0.0,
                        if text.is_empty() {
                            SWATCH_EMPTY
                        } else {
                            SWATCH_TYPED
                        },
                    );
                });
        });

        let pixels_per_point = output.pixels_per_point;
        let jobs = self.context.tessellate(output.shapes, pixels_per_point);
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: [self.config.width, self.config.height],
            pixels_per_point,
        };
        for (id, deltas) in &output.textures_delta.set {
            for delta in deltas {
                self.renderer
                    .update_texture(&self.device, &self.queue, *id, delta);
            }
        }
        let frame = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(frame)
            | wgpu::CurrentSurfaceTexture::Suboptimal(frame) => frame,
            other => return Err(format!("no frame: {other:?}")),
        };
        let view = frame
            .texture
            .create_view(&wgpu::TextureViewDescriptor::default());
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("egui"),
            });
        let mut commands =
            self.renderer
                .update_buffers(&self.device, &self.queue, &mut encoder, &jobs, &screen);
        {
            let mut pass = encoder
                .begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("egui"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view: &view,
                        depth_slice: None,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                            store: wgpu::StoreOp::Store,
                        },
                    })],
                    depth_stencil_attachment: None,
                    timestamp_writes: None,
                    occlusion_query_set: None,
                    multiview_mask: None,
                })
                .forget_lifetime();
            self.renderer.render(&mut pass, &jobs, &screen);
        }
        commands.push(encoder.finish());
        self.queue.submit(commands);
        self.queue.present(frame);
        for id in &output.textures_delta.free {
            self.renderer.free_texture(id);
        }
        Ok(lines)
    }
}
