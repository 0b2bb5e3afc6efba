//! wgpu's instance and adapter on `gpu` and `gpu-adapter`.

use std::pin::Pin;
use std::rc::Rc;

use wgpu::custom::*;
use wgpu::wgt;

use crate::bindings::wasi::webgpu::webgpu as w;
use crate::convert::*;
use crate::device::Device;

#[derive(Debug)]
pub struct Instance {
    pub gpu: Rc<w::Gpu>,
}

fn not_found() -> wgt::RequestAdapterError {
    let web = wgt::Backends::BROWSER_WEBGPU;
    wgt::RequestAdapterError::NotFound {
        active_backends: web,
        requested_backends: web,
        supported_backends: web,
        no_fallback_backends: wgt::Backends::empty(),
        no_adapter_backends: web,
        incompatible_surface_backends: wgt::Backends::empty(),
    }
}

/// The WGSL language extensions wgpu names, by WebGPU's names.
const WGSL_FEATURES: [(&str, wgpu::WgslLanguageFeatures); 4] = [
    ("readonly_and_readwrite_storage_textures", wgpu::WgslLanguageFeatures::ReadOnlyAndReadWriteStorageTextures),
    ("packed_4x8_integer_dot_product", wgpu::WgslLanguageFeatures::Packed4x8IntegerDotProduct),
    ("unrestricted_pointer_parameters", wgpu::WgslLanguageFeatures::UnrestrictedPointerParameters),
    ("pointer_composite_access", wgpu::WgslLanguageFeatures::PointerCompositeAccess),
];

impl InstanceInterface for Instance {
    fn new(_desc: wgpu::InstanceDescriptor) -> Self {
        Instance { gpu: Rc::new(w::get_gpu()) }
    }

    unsafe fn create_surface(&self, target: wgpu::SurfaceTargetUnsafe) -> Result<DispatchSurface, wgpu::CreateSurfaceError> {
        let surface = match target {
            wgpu::SurfaceTargetUnsafe::RawHandle { raw_window_handle, .. } => crate::surface::surface_of(raw_window_handle),
            #[allow(unreachable_patterns)]
            _ => None,
        };
        // wgpu gives custom backends no way to make a CreateSurfaceError.
        let Some(surface) = surface else { gap("a surface on a window that is not a wasi_webgpu_wgpu::GfxWindow") };
        Ok(DispatchSurface::custom(crate::surface::Surface::new(surface, self.gpu.clone())))
    }

    fn request_adapter(&self, options: &wgpu::RequestAdapterOptions<'_, '_>) -> Pin<Box<dyn RequestAdapterFuture>> {
        let gpu = self.gpu.clone();
        let options = w::GpuRequestAdapterOptions {
            feature_level: None,
            power_preference: map_power_preference(options.power_preference),
            force_fallback_adapter: Some(options.force_fallback_adapter),
            xr_compatible: None,
        };
        Box::pin(async move {
            match gpu.request_adapter(Some(options)).await {
                Some(adapter) => Ok(DispatchAdapter::custom(Adapter { inner: Rc::new(adapter) })),
                None => Err(not_found()),
            }
        })
    }

    fn poll_all_devices(&self, _force_wait: bool) -> bool {
        true
    }

    fn wgsl_language_features(&self) -> wgpu::WgslLanguageFeatures {
        let supported = self.gpu.wgsl_language_features();
        WGSL_FEATURES.iter().filter(|(name, _)| supported.has(name)).fold(wgpu::WgslLanguageFeatures::empty(), |all, (_, f)| all | f.clone())
    }

    fn enumerate_adapters(&self, _backends: wgt::Backends) -> Pin<Box<dyn EnumerateAdapterFuture>> {
        // A page has one adapter to offer at a time.
        let adapter = self.request_adapter(&wgpu::RequestAdapterOptions::default());
        Box::pin(async move { adapter.await.into_iter().collect() })
    }
}

#[derive(Debug)]
pub struct Adapter {
    inner: Rc<w::GpuAdapter>,
}

impl AdapterInterface for Adapter {
    fn request_device(&self, desc: &wgpu::DeviceDescriptor<'_>) -> Pin<Box<dyn RequestDeviceFuture>> {
        let features = match map_required_features(desc.required_features) {
            Ok(features) => features,
            Err(unknown) => {
                let message = format!("wasi-webgpu-wgpu: the features {unknown:?} have no wasi:webgpu (WebGPU) name");
                return Box::pin(async move { Err(wgpu::RequestDeviceError::from_message(message)) });
            }
        };
        let descriptor = w::GpuDeviceDescriptor {
            required_features: Some(features),
            required_limits: Some(map_required_limits(&desc.required_limits)),
            default_queue: None,
            label: label(desc.label),
        };
        let adapter = self.inner.clone();
        Box::pin(async move {
            match adapter.request_device(Some(descriptor)).await {
                Ok(device) => {
                    let (device, queue) = Device::new(device);
                    Ok((DispatchDevice::custom(device), DispatchQueue::custom(queue)))
                }
                Err(e) => Err(wgpu::RequestDeviceError::from_message(e.message)),
            }
        })
    }

    fn is_surface_supported(&self, _surface: &DispatchSurface) -> bool {
        true
    }

    fn features(&self) -> wgt::Features {
        unmap_features(&self.inner.features())
    }

    fn limits(&self) -> wgt::Limits {
        unmap_limits(&self.inner.limits())
    }

    fn downlevel_capabilities(&self) -> wgt::DownlevelCapabilities {
        // WebGPU is wgpu's full baseline.
        wgt::DownlevelCapabilities::default()
    }

    fn get_info(&self) -> wgt::AdapterInfo {
        unmap_adapter_info(&self.inner.info())
    }

    fn get_texture_format_features(&self, format: wgt::TextureFormat) -> wgt::TextureFormatFeatures {
        format.guaranteed_format_features(self.features())
    }

    fn get_presentation_timestamp(&self) -> wgt::PresentationTimestamp {
        wgt::PresentationTimestamp::INVALID_TIMESTAMP
    }

    fn cooperative_matrix_properties(&self) -> Vec<wgt::CooperativeMatrixProperties> {
        Vec::new()
    }
}
