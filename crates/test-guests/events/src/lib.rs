//! Guest for the tests of `gpu-device.lost` and `on-uncaptured-error`, the
//! two wasi:webgpu imports that return a future or a stream, which stay on
//! jco's glue on the hybrid path (see the world's comment).

wit_bindgen::generate!({
    world: "example:events/events",
    path: ["../../../wit/deps/wasi-webgpu-0.3.0-rc.2", "wit/world.wit"],
    generate_all,
});

use std::cell::RefCell;
use std::rc::Rc;

use guest_support::kind_name;
use wasi::webgpu::webgpu::{self as gpu, GpuBufferUsage as B, GpuTextureUsage as T};

thread_local! {
    /// The device and stream `uncaptured-open` keeps between export calls.
    static KEPT: RefCell<(Option<Rc<gpu::GpuDevice>>, Option<wit_bindgen::StreamReader<gpu::GpuError>>)> =
        const { RefCell::new((None, None)) };
}

async fn device() -> Result<gpu::GpuDevice, String> {
    let adapter = gpu::get_gpu().request_adapter(None).await.ok_or("no adapter")?;
    adapter.request_device(None).await.map_err(|e| format!("request-device: {}", e.message))
}

fn buffer(device: &gpu::GpuDevice, size: u64, usage: B) -> gpu::GpuBuffer {
    device.create_buffer(&gpu::GpuBufferDescriptor { size, usage, mapped_at_creation: None, label: None })
}

/// A texture with a zero width: a validation error.
fn empty_texture(device: &gpu::GpuDevice) -> gpu::GpuTexture {
    device.create_texture(&gpu::GpuTextureDescriptor {
        size: gpu::GpuExtent3D { width: 0, height: None, depth_or_array_layers: None },
        mip_level_count: None,
        sample_count: None,
        dimension: None,
        format: gpu::GpuTextureFormat::Rgba8unorm,
        usage: T::TEXTURE_BINDING,
        view_formats: None,
        texture_binding_view_dimension: None,
        label: None,
    })
}

struct Component;

impl Guest for Component {
    async fn device_lost() -> Result<(String, bool), String> {
        let device = device().await?;
        let lost = device.lost();
        device.destroy();
        let info = lost.await;
        Ok((format!("{:?}", info.reason()), info.message().is_empty()))
    }

    async fn uncaptured_error() -> Result<String, String> {
        let device = device().await?;
        let mut errors = device.on_uncaptured_error();
        // Usage 0 is always a validation error, and no scope catches it.
        let _invalid = buffer(&device, 4, B::empty());
        Ok(match errors.next().await {
            Some(error) => format!("{} {}", kind_name(error.kind()), !error.message().is_empty()),
            None => "stream ended".into(),
        })
    }

    async fn uncaptured_open(errors: u32) -> Result<Vec<String>, String> {
        let kept = KEPT.with(|k| k.borrow().0.clone());
        let device = match kept {
            Some(device) => device,
            None => {
                let device = Rc::new(device().await?);
                KEPT.with(|k| k.borrow_mut().0 = Some(device.clone()));
                device
            }
        };
        let mut stream = device.on_uncaptured_error();
        // Three different mistakes: Firefox reports a repeated one only once.
        for i in 0..errors {
            match i % 3 {
                0 => drop(buffer(&device, 4, B::MAP_READ | B::MAP_WRITE)),
                1 => drop(empty_texture(&device)),
                _ => {
                    let encoder = device.create_command_encoder(None);
                    encoder.pop_debug_group();
                    drop(encoder.finish(None));
                }
            }
        }
        let mut seen = Vec::new();
        while seen.len() < errors as usize {
            match stream.next().await {
                Some(error) => seen.push(format!("{}: {}", kind_name(error.kind()), error.message())),
                None => return Err(format!("the stream ended after {} errors", seen.len())),
            }
        }
        KEPT.with(|k| k.borrow_mut().1 = Some(stream));
        Ok(seen)
    }

    fn uncaptured_close() {
        let stream = KEPT.with(|k| k.borrow_mut().1.take());
        drop(stream);
    }
}

export!(Component);
