//! Every conversion between wgpu's types and the WIT's, in one place: one
//! `map_*` per type, exhaustive `match`es (a new case on either side is a
//! compile error), and `gap` for what WebGPU cannot express.

use crate::bindings::wasi::webgpu::webgpu as w;
use wgpu::wgt;

/// What wgpu can ask for and WebGPU (so wasi:webgpu) cannot express. wgpu's
/// own WebGPU backend stops on these too; the crate docs list each one.
#[track_caller]
pub fn gap(what: impl std::fmt::Display) -> ! {
    panic!("wasi-webgpu-wgpu: {what} has no wasi:webgpu equivalent (WebGPU cannot express it; see the crate docs' table of gaps)")
}

pub fn label(label: Option<&str>) -> Option<String> {
    label.map(str::to_owned)
}

// ---- enums, wgpu -> WIT

pub fn map_texture_format(format: wgt::TextureFormat) -> w::GpuTextureFormat {
    use w::GpuTextureFormat as F;
    use wgt::TextureFormat as T;
    match format {
        T::R8Unorm => F::R8unorm,
        T::R8Snorm => F::R8snorm,
        T::R8Uint => F::R8uint,
        T::R8Sint => F::R8sint,
        T::R16Uint => F::R16uint,
        T::R16Sint => F::R16sint,
        T::R16Unorm => F::R16unorm,
        T::R16Snorm => F::R16snorm,
        T::R16Float => F::R16float,
        T::Rg8Unorm => F::Rg8unorm,
        T::Rg8Snorm => F::Rg8snorm,
        T::Rg8Uint => F::Rg8uint,
        T::Rg8Sint => F::Rg8sint,
        T::R32Uint => F::R32uint,
        T::R32Sint => F::R32sint,
        T::R32Float => F::R32float,
        T::Rg16Uint => F::Rg16uint,
        T::Rg16Sint => F::Rg16sint,
        T::Rg16Unorm => F::Rg16unorm,
        T::Rg16Snorm => F::Rg16snorm,
        T::Rg16Float => F::Rg16float,
        T::Rgba8Unorm => F::Rgba8unorm,
        T::Rgba8UnormSrgb => F::Rgba8unormSrgb,
        T::Rgba8Snorm => F::Rgba8snorm,
        T::Rgba8Uint => F::Rgba8uint,
        T::Rgba8Sint => F::Rgba8sint,
        T::Bgra8Unorm => F::Bgra8unorm,
        T::Bgra8UnormSrgb => F::Bgra8unormSrgb,
        T::Rgb9e5Ufloat => F::Rgb9e5ufloat,
        T::Rgb10a2Uint => F::Rgb10a2uint,
        T::Rgb10a2Unorm => F::Rgb10a2unorm,
        T::Rg11b10Ufloat => F::Rg11b10ufloat,
        T::Rg32Uint => F::Rg32uint,
        T::Rg32Sint => F::Rg32sint,
        T::Rg32Float => F::Rg32float,
        T::Rgba16Uint => F::Rgba16uint,
        T::Rgba16Sint => F::Rgba16sint,
        T::Rgba16Unorm => F::Rgba16unorm,
        T::Rgba16Snorm => F::Rgba16snorm,
        T::Rgba16Float => F::Rgba16float,
        T::Rgba32Uint => F::Rgba32uint,
        T::Rgba32Sint => F::Rgba32sint,
        T::Rgba32Float => F::Rgba32float,
        T::Stencil8 => F::Stencil8,
        T::Depth16Unorm => F::Depth16unorm,
        T::Depth24Plus => F::Depth24plus,
        T::Depth24PlusStencil8 => F::Depth24plusStencil8,
        T::Depth32Float => F::Depth32float,
        T::Depth32FloatStencil8 => F::Depth32floatStencil8,
        T::Bc1RgbaUnorm => F::Bc1RgbaUnorm,
        T::Bc1RgbaUnormSrgb => F::Bc1RgbaUnormSrgb,
        T::Bc2RgbaUnorm => F::Bc2RgbaUnorm,
        T::Bc2RgbaUnormSrgb => F::Bc2RgbaUnormSrgb,
        T::Bc3RgbaUnorm => F::Bc3RgbaUnorm,
        T::Bc3RgbaUnormSrgb => F::Bc3RgbaUnormSrgb,
        T::Bc4RUnorm => F::Bc4RUnorm,
        T::Bc4RSnorm => F::Bc4RSnorm,
        T::Bc5RgUnorm => F::Bc5RgUnorm,
        T::Bc5RgSnorm => F::Bc5RgSnorm,
        T::Bc6hRgbUfloat => F::Bc6hRgbUfloat,
        T::Bc6hRgbFloat => F::Bc6hRgbFloat,
        T::Bc7RgbaUnorm => F::Bc7RgbaUnorm,
        T::Bc7RgbaUnormSrgb => F::Bc7RgbaUnormSrgb,
        T::Etc2Rgb8Unorm => F::Etc2Rgb8unorm,
        T::Etc2Rgb8UnormSrgb => F::Etc2Rgb8unormSrgb,
        T::Etc2Rgb8A1Unorm => F::Etc2Rgb8a1unorm,
        T::Etc2Rgb8A1UnormSrgb => F::Etc2Rgb8a1unormSrgb,
        T::Etc2Rgba8Unorm => F::Etc2Rgba8unorm,
        T::Etc2Rgba8UnormSrgb => F::Etc2Rgba8unormSrgb,
        T::EacR11Unorm => F::EacR11unorm,
        T::EacR11Snorm => F::EacR11snorm,
        T::EacRg11Unorm => F::EacRg11unorm,
        T::EacRg11Snorm => F::EacRg11snorm,
        T::Astc { block, channel } => map_astc(block, channel),
        T::R64Uint | T::NV12 | T::P010 => gap(format_args!("the texture format {format:?}")),
    }
}

fn map_astc(block: wgt::AstcBlock, channel: wgt::AstcChannel) -> w::GpuTextureFormat {
    use w::GpuTextureFormat as F;
    use wgt::AstcBlock as B;
    let srgb = match channel {
        wgt::AstcChannel::Unorm => false,
        wgt::AstcChannel::UnormSrgb => true,
        wgt::AstcChannel::Hdr => gap("an HDR ASTC texture format"),
    };
    let (linear, srgb_format) = match block {
        B::B4x4 => (F::Astc4x4Unorm, F::Astc4x4UnormSrgb),
        B::B5x4 => (F::Astc5x4Unorm, F::Astc5x4UnormSrgb),
        B::B5x5 => (F::Astc5x5Unorm, F::Astc5x5UnormSrgb),
        B::B6x5 => (F::Astc6x5Unorm, F::Astc6x5UnormSrgb),
        B::B6x6 => (F::Astc6x6Unorm, F::Astc6x6UnormSrgb),
        B::B8x5 => (F::Astc8x5Unorm, F::Astc8x5UnormSrgb),
        B::B8x6 => (F::Astc8x6Unorm, F::Astc8x6UnormSrgb),
        B::B8x8 => (F::Astc8x8Unorm, F::Astc8x8UnormSrgb),
        B::B10x5 => (F::Astc10x5Unorm, F::Astc10x5UnormSrgb),
        B::B10x6 => (F::Astc10x6Unorm, F::Astc10x6UnormSrgb),
        B::B10x8 => (F::Astc10x8Unorm, F::Astc10x8UnormSrgb),
        B::B10x10 => (F::Astc10x10Unorm, F::Astc10x10UnormSrgb),
        B::B12x10 => (F::Astc12x10Unorm, F::Astc12x10UnormSrgb),
        B::B12x12 => (F::Astc12x12Unorm, F::Astc12x12UnormSrgb),
    };
    if srgb {
        srgb_format
    } else {
        linear
    }
}

/// The canvas format a browser prefers, back in wgpu's terms (only these two occur).
pub fn unmap_canvas_format(format: w::GpuTextureFormat) -> wgt::TextureFormat {
    match format {
        w::GpuTextureFormat::Bgra8unorm => wgt::TextureFormat::Bgra8Unorm,
        _ => wgt::TextureFormat::Rgba8Unorm,
    }
}

pub fn map_vertex_format(format: wgt::VertexFormat) -> w::GpuVertexFormat {
    use w::GpuVertexFormat as F;
    use wgt::VertexFormat as V;
    match format {
        V::Uint8 => F::Uint8,
        V::Uint8x2 => F::Uint8x2,
        V::Uint8x4 => F::Uint8x4,
        V::Sint8 => F::Sint8,
        V::Sint8x2 => F::Sint8x2,
        V::Sint8x4 => F::Sint8x4,
        V::Unorm8 => F::Unorm8,
        V::Unorm8x2 => F::Unorm8x2,
        V::Unorm8x4 => F::Unorm8x4,
        V::Snorm8 => F::Snorm8,
        V::Snorm8x2 => F::Snorm8x2,
        V::Snorm8x4 => F::Snorm8x4,
        V::Uint16 => F::Uint16,
        V::Uint16x2 => F::Uint16x2,
        V::Uint16x4 => F::Uint16x4,
        V::Sint16 => F::Sint16,
        V::Sint16x2 => F::Sint16x2,
        V::Sint16x4 => F::Sint16x4,
        V::Unorm16 => F::Unorm16,
        V::Unorm16x2 => F::Unorm16x2,
        V::Unorm16x4 => F::Unorm16x4,
        V::Snorm16 => F::Snorm16,
        V::Snorm16x2 => F::Snorm16x2,
        V::Snorm16x4 => F::Snorm16x4,
        V::Float16 => F::Float16,
        V::Float16x2 => F::Float16x2,
        V::Float16x4 => F::Float16x4,
        V::Float32 => F::Float32,
        V::Float32x2 => F::Float32x2,
        V::Float32x3 => F::Float32x3,
        V::Float32x4 => F::Float32x4,
        V::Uint32 => F::Uint32,
        V::Uint32x2 => F::Uint32x2,
        V::Uint32x3 => F::Uint32x3,
        V::Uint32x4 => F::Uint32x4,
        V::Sint32 => F::Sint32,
        V::Sint32x2 => F::Sint32x2,
        V::Sint32x3 => F::Sint32x3,
        V::Sint32x4 => F::Sint32x4,
        V::Unorm10_10_10_2 => F::Unorm1010102,
        V::Unorm8x4Bgra => F::Unorm8x4Bgra,
        V::Float64 | V::Float64x2 | V::Float64x3 | V::Float64x4 => gap(format_args!("the vertex format {format:?}")),
    }
}

pub fn map_texture_dimension(dimension: wgt::TextureDimension) -> w::GpuTextureDimension {
    match dimension {
        wgt::TextureDimension::D1 => w::GpuTextureDimension::D1,
        wgt::TextureDimension::D2 => w::GpuTextureDimension::D2,
        wgt::TextureDimension::D3 => w::GpuTextureDimension::D3,
    }
}

pub fn map_texture_view_dimension(dimension: wgt::TextureViewDimension) -> w::GpuTextureViewDimension {
    use w::GpuTextureViewDimension as D;
    match dimension {
        wgt::TextureViewDimension::D1 => D::D1,
        wgt::TextureViewDimension::D2 => D::D2,
        wgt::TextureViewDimension::D2Array => D::D2Array,
        wgt::TextureViewDimension::Cube => D::Cube,
        wgt::TextureViewDimension::CubeArray => D::CubeArray,
        wgt::TextureViewDimension::D3 => D::D3,
    }
}

pub fn map_texture_aspect(aspect: wgt::TextureAspect) -> w::GpuTextureAspect {
    match aspect {
        wgt::TextureAspect::All => w::GpuTextureAspect::All,
        wgt::TextureAspect::StencilOnly => w::GpuTextureAspect::StencilOnly,
        wgt::TextureAspect::DepthOnly => w::GpuTextureAspect::DepthOnly,
        wgt::TextureAspect::Plane0 | wgt::TextureAspect::Plane1 | wgt::TextureAspect::Plane2 => {
            gap(format_args!("the texture aspect {aspect:?} (multi-planar formats)"))
        }
    }
}

pub fn map_compare_function(compare: wgt::CompareFunction) -> w::GpuCompareFunction {
    use w::GpuCompareFunction as C;
    match compare {
        wgt::CompareFunction::Never => C::Never,
        wgt::CompareFunction::Less => C::Less,
        wgt::CompareFunction::Equal => C::Equal,
        wgt::CompareFunction::LessEqual => C::LessEqual,
        wgt::CompareFunction::Greater => C::Greater,
        wgt::CompareFunction::NotEqual => C::NotEqual,
        wgt::CompareFunction::GreaterEqual => C::GreaterEqual,
        wgt::CompareFunction::Always => C::Always,
    }
}

pub fn map_stencil_operation(op: wgt::StencilOperation) -> w::GpuStencilOperation {
    use w::GpuStencilOperation as S;
    match op {
        wgt::StencilOperation::Keep => S::Keep,
        wgt::StencilOperation::Zero => S::Zero,
        wgt::StencilOperation::Replace => S::Replace,
        wgt::StencilOperation::Invert => S::Invert,
        wgt::StencilOperation::IncrementClamp => S::IncrementClamp,
        wgt::StencilOperation::DecrementClamp => S::DecrementClamp,
        wgt::StencilOperation::IncrementWrap => S::IncrementWrap,
        wgt::StencilOperation::DecrementWrap => S::DecrementWrap,
    }
}

pub fn map_blend_factor(factor: wgt::BlendFactor) -> w::GpuBlendFactor {
    use w::GpuBlendFactor as B;
    match factor {
        wgt::BlendFactor::Zero => B::Zero,
        wgt::BlendFactor::One => B::One,
        wgt::BlendFactor::Src => B::Src,
        wgt::BlendFactor::OneMinusSrc => B::OneMinusSrc,
        wgt::BlendFactor::SrcAlpha => B::SrcAlpha,
        wgt::BlendFactor::OneMinusSrcAlpha => B::OneMinusSrcAlpha,
        wgt::BlendFactor::Dst => B::Dst,
        wgt::BlendFactor::OneMinusDst => B::OneMinusDst,
        wgt::BlendFactor::DstAlpha => B::DstAlpha,
        wgt::BlendFactor::OneMinusDstAlpha => B::OneMinusDstAlpha,
        wgt::BlendFactor::SrcAlphaSaturated => B::SrcAlphaSaturated,
        wgt::BlendFactor::Constant => B::Constant,
        wgt::BlendFactor::OneMinusConstant => B::OneMinusConstant,
        wgt::BlendFactor::Src1 => B::Src1,
        wgt::BlendFactor::OneMinusSrc1 => B::OneMinusSrc1,
        wgt::BlendFactor::Src1Alpha => B::Src1Alpha,
        wgt::BlendFactor::OneMinusSrc1Alpha => B::OneMinusSrc1Alpha,
    }
}

pub fn map_blend_operation(op: wgt::BlendOperation) -> w::GpuBlendOperation {
    use w::GpuBlendOperation as O;
    match op {
        wgt::BlendOperation::Add => O::Add,
        wgt::BlendOperation::Subtract => O::Subtract,
        wgt::BlendOperation::ReverseSubtract => O::ReverseSubtract,
        wgt::BlendOperation::Min => O::Min,
        wgt::BlendOperation::Max => O::Max,
    }
}

pub fn map_index_format(format: wgt::IndexFormat) -> w::GpuIndexFormat {
    match format {
        wgt::IndexFormat::Uint16 => w::GpuIndexFormat::Uint16,
        wgt::IndexFormat::Uint32 => w::GpuIndexFormat::Uint32,
    }
}

pub fn map_address_mode(mode: wgt::AddressMode) -> w::GpuAddressMode {
    match mode {
        wgt::AddressMode::ClampToEdge => w::GpuAddressMode::ClampToEdge,
        wgt::AddressMode::Repeat => w::GpuAddressMode::Repeat,
        wgt::AddressMode::MirrorRepeat => w::GpuAddressMode::MirrorRepeat,
        wgt::AddressMode::ClampToBorder => gap("the address mode ClampToBorder"),
    }
}

pub fn map_filter_mode(mode: wgt::FilterMode) -> w::GpuFilterMode {
    match mode {
        wgt::FilterMode::Nearest => w::GpuFilterMode::Nearest,
        wgt::FilterMode::Linear => w::GpuFilterMode::Linear,
    }
}

pub fn map_mipmap_filter_mode(mode: wgt::MipmapFilterMode) -> w::GpuMipmapFilterMode {
    match mode {
        wgt::MipmapFilterMode::Nearest => w::GpuMipmapFilterMode::Nearest,
        wgt::MipmapFilterMode::Linear => w::GpuMipmapFilterMode::Linear,
    }
}

pub fn map_load_op<V>(op: wgpu::LoadOp<V>) -> (w::GpuLoadOp, Option<V>) {
    match op {
        wgpu::LoadOp::Load => (w::GpuLoadOp::Load, None),
        wgpu::LoadOp::Clear(value) => (w::GpuLoadOp::Clear, Some(value)),
        // "Don't care" lets a native driver skip the load; on the web the
        // nearest is a clear, to the caller's value.
        wgpu::LoadOp::DontCare(_) => (w::GpuLoadOp::Clear, None),
    }
}

pub fn map_store_op(op: wgpu::StoreOp) -> w::GpuStoreOp {
    match op {
        wgpu::StoreOp::Store => w::GpuStoreOp::Store,
        wgpu::StoreOp::Discard => w::GpuStoreOp::Discard,
    }
}

pub fn map_color(color: wgt::Color) -> w::GpuColor {
    w::GpuColor { r: color.r, g: color.g, b: color.b, a: color.a }
}

pub fn map_power_preference(preference: wgt::PowerPreference) -> Option<w::GpuPowerPreference> {
    match preference {
        wgt::PowerPreference::None => None,
        wgt::PowerPreference::LowPower => Some(w::GpuPowerPreference::LowPower),
        wgt::PowerPreference::HighPerformance => Some(w::GpuPowerPreference::HighPerformance),
    }
}

pub fn map_query_type(ty: wgt::QueryType) -> w::GpuQueryType {
    match ty {
        wgt::QueryType::Occlusion => w::GpuQueryType::Occlusion,
        wgt::QueryType::Timestamp => w::GpuQueryType::Timestamp,
        wgt::QueryType::PipelineStatistics(_) => gap("a pipeline-statistics query set"),
    }
}

pub fn map_error_filter(filter: wgpu::ErrorFilter) -> w::GpuErrorFilter {
    match filter {
        wgpu::ErrorFilter::Validation => w::GpuErrorFilter::Validation,
        wgpu::ErrorFilter::OutOfMemory => w::GpuErrorFilter::OutOfMemory,
        wgpu::ErrorFilter::Internal => w::GpuErrorFilter::Internal,
    }
}

// ---- flags, wgpu -> WIT: the same bits, by name (wgpu's extra bits are gaps)

/// A wgpu flags value as the WIT's, through a table of the bits both name;
/// a bit only wgpu has is a gap.
macro_rules! map_flags {
    ($value:expr, $what:literal, $empty:expr, [$(($wgpu:expr, $wit:expr)),* $(,)?]) => {{
        let value = $value;
        let mut known = value;
        known.remove(value);
        let mut out = $empty;
        $(
            known |= $wgpu;
            if value.contains($wgpu) {
                out |= $wit;
            }
        )*
        if !(value - known).is_empty() {
            gap(format_args!("the {} {:?}", $what, value - known));
        }
        out
    }};
}

pub fn map_buffer_usages(usage: wgt::BufferUsages) -> w::GpuBufferUsage {
    use w::GpuBufferUsage as W;
    use wgt::BufferUsages as U;
    map_flags!(usage, "buffer usage", W::empty(), [
        (U::MAP_READ, W::MAP_READ),
        (U::MAP_WRITE, W::MAP_WRITE),
        (U::COPY_SRC, W::COPY_SRC),
        (U::COPY_DST, W::COPY_DST),
        (U::INDEX, W::INDEX),
        (U::VERTEX, W::VERTEX),
        (U::UNIFORM, W::UNIFORM),
        (U::STORAGE, W::STORAGE),
        (U::INDIRECT, W::INDIRECT),
        (U::QUERY_RESOLVE, W::QUERY_RESOLVE),
    ])
}

pub fn map_texture_usages(usage: wgt::TextureUsages) -> w::GpuTextureUsage {
    use w::GpuTextureUsage as W;
    use wgt::TextureUsages as U;
    map_flags!(usage, "texture usage", W::empty(), [
        (U::COPY_SRC, W::COPY_SRC),
        (U::COPY_DST, W::COPY_DST),
        (U::TEXTURE_BINDING, W::TEXTURE_BINDING),
        (U::STORAGE_BINDING, W::STORAGE_BINDING),
        (U::RENDER_ATTACHMENT, W::RENDER_ATTACHMENT),
        (U::TRANSIENT_ATTACHMENT, W::TRANSIENT_ATTACHMENT),
    ])
}

pub fn map_shader_stages(stages: wgt::ShaderStages) -> w::GpuShaderStage {
    use w::GpuShaderStage as W;
    use wgt::ShaderStages as S;
    map_flags!(stages, "shader stages", W::empty(), [(S::VERTEX, W::VERTEX), (S::FRAGMENT, W::FRAGMENT), (S::COMPUTE, W::COMPUTE)])
}

pub fn map_color_writes(writes: wgt::ColorWrites) -> w::GpuColorWrite {
    use w::GpuColorWrite as W;
    use wgt::ColorWrites as C;
    // Never the WIT's `all` bit: it stands for the four together.
    map_flags!(writes, "colour writes", W::empty(), [(C::RED, W::RED), (C::GREEN, W::GREEN), (C::BLUE, W::BLUE), (C::ALPHA, W::ALPHA)])
}

pub fn map_map_mode(mode: wgpu::MapMode) -> w::GpuMapMode {
    match mode {
        wgpu::MapMode::Read => w::GpuMapMode::READ,
        wgpu::MapMode::Write => w::GpuMapMode::WRITE,
    }
}

// ---- records, wgpu -> WIT

pub fn map_extent(extent: wgt::Extent3d) -> w::GpuExtent3D {
    w::GpuExtent3D { width: extent.width, height: Some(extent.height), depth_or_array_layers: Some(extent.depth_or_array_layers) }
}

pub fn map_origin(origin: wgt::Origin3d) -> w::GpuOrigin3D {
    w::GpuOrigin3D { x: Some(origin.x), y: Some(origin.y), z: Some(origin.z) }
}

pub fn map_buffer_layout(layout: wgt::TexelCopyBufferLayout) -> w::GpuTexelCopyBufferLayout {
    w::GpuTexelCopyBufferLayout { offset: Some(layout.offset), bytes_per_row: layout.bytes_per_row, rows_per_image: layout.rows_per_image }
}

pub fn map_blend_component(component: wgt::BlendComponent) -> w::GpuBlendComponent {
    w::GpuBlendComponent {
        operation: Some(map_blend_operation(component.operation)),
        src_factor: Some(map_blend_factor(component.src_factor)),
        dst_factor: Some(map_blend_factor(component.dst_factor)),
    }
}

pub fn map_primitive_state(primitive: &wgt::PrimitiveState) -> w::GpuPrimitiveState {
    if primitive.polygon_mode != wgt::PolygonMode::Fill {
        gap(format_args!("the polygon mode {:?}", primitive.polygon_mode));
    }
    if primitive.conservative {
        gap("conservative rasterization");
    }
    use w::GpuPrimitiveTopology as T;
    let topology = match primitive.topology {
        wgt::PrimitiveTopology::PointList => T::PointList,
        wgt::PrimitiveTopology::LineList => T::LineList,
        wgt::PrimitiveTopology::LineStrip => T::LineStrip,
        wgt::PrimitiveTopology::TriangleList => T::TriangleList,
        wgt::PrimitiveTopology::TriangleStrip => T::TriangleStrip,
    };
    w::GpuPrimitiveState {
        topology: Some(topology),
        strip_index_format: primitive.strip_index_format.map(map_index_format),
        front_face: Some(match primitive.front_face {
            wgt::FrontFace::Ccw => w::GpuFrontFace::Ccw,
            wgt::FrontFace::Cw => w::GpuFrontFace::Cw,
        }),
        cull_mode: Some(match primitive.cull_mode {
            None => w::GpuCullMode::None,
            Some(wgt::Face::Front) => w::GpuCullMode::Front,
            Some(wgt::Face::Back) => w::GpuCullMode::Back,
        }),
        // WebGPU's name for it; it needs the depth-clip-control feature.
        unclipped_depth: Some(primitive.unclipped_depth),
    }
}

pub fn map_depth_stencil_state(state: &wgt::DepthStencilState) -> w::GpuDepthStencilState {
    let face = |face: &wgt::StencilFaceState| w::GpuStencilFaceState {
        compare: Some(map_compare_function(face.compare)),
        fail_op: Some(map_stencil_operation(face.fail_op)),
        depth_fail_op: Some(map_stencil_operation(face.depth_fail_op)),
        pass_op: Some(map_stencil_operation(face.pass_op)),
    };
    w::GpuDepthStencilState {
        format: map_texture_format(state.format),
        depth_write_enabled: state.depth_write_enabled,
        depth_compare: state.depth_compare.map(map_compare_function),
        stencil_front: Some(face(&state.stencil.front)),
        stencil_back: Some(face(&state.stencil.back)),
        stencil_read_mask: Some(state.stencil.read_mask),
        stencil_write_mask: Some(state.stencil.write_mask),
        depth_bias: Some(state.bias.constant),
        depth_bias_slope_scale: Some(state.bias.slope_scale),
        depth_bias_clamp: Some(state.bias.clamp),
    }
}

pub fn map_multisample_state(state: &wgt::MultisampleState) -> w::GpuMultisampleState {
    w::GpuMultisampleState {
        count: Some(state.count),
        // WebGPU's mask is 32 bits; wgpu's is 64, of which only 32 samples exist.
        mask: Some(state.mask as u32),
        alpha_to_coverage_enabled: Some(state.alpha_to_coverage_enabled),
    }
}

/// Pipeline-overridable constants, as the WIT's map resource.
pub fn map_constants(constants: &[(&str, f64)]) -> Option<w::RecordGpuPipelineConstantValue> {
    if constants.is_empty() {
        return None;
    }
    let record = w::RecordGpuPipelineConstantValue::new();
    for (key, value) in constants {
        record.add(key, *value);
    }
    Some(record)
}

// ---- WIT -> wgpu

/// Features both sides name; wgpu's other features have no WebGPU name.
pub const FEATURES: [(wgt::Features, w::GpuFeatureName, &str); 19] = [
    (wgt::Features::DEPTH_CLIP_CONTROL, w::GpuFeatureName::DepthClipControl, "depth-clip-control"),
    (wgt::Features::DEPTH32FLOAT_STENCIL8, w::GpuFeatureName::Depth32floatStencil8, "depth32float-stencil8"),
    (wgt::Features::TEXTURE_COMPRESSION_BC, w::GpuFeatureName::TextureCompressionBc, "texture-compression-bc"),
    (wgt::Features::TEXTURE_COMPRESSION_BC_SLICED_3D, w::GpuFeatureName::TextureCompressionBcSliced3d, "texture-compression-bc-sliced-3d"),
    (wgt::Features::TEXTURE_COMPRESSION_ETC2, w::GpuFeatureName::TextureCompressionEtc2, "texture-compression-etc2"),
    (wgt::Features::TEXTURE_COMPRESSION_ASTC, w::GpuFeatureName::TextureCompressionAstc, "texture-compression-astc"),
    (wgt::Features::TEXTURE_COMPRESSION_ASTC_SLICED_3D, w::GpuFeatureName::TextureCompressionAstcSliced3d, "texture-compression-astc-sliced-3d"),
    (wgt::Features::TIMESTAMP_QUERY, w::GpuFeatureName::TimestampQuery, "timestamp-query"),
    (wgt::Features::INDIRECT_FIRST_INSTANCE, w::GpuFeatureName::IndirectFirstInstance, "indirect-first-instance"),
    (wgt::Features::SHADER_F16, w::GpuFeatureName::ShaderF16, "shader-f16"),
    (wgt::Features::RG11B10UFLOAT_RENDERABLE, w::GpuFeatureName::Rg11b10ufloatRenderable, "rg11b10ufloat-renderable"),
    (wgt::Features::BGRA8UNORM_STORAGE, w::GpuFeatureName::Bgra8unormStorage, "bgra8unorm-storage"),
    (wgt::Features::FLOAT32_FILTERABLE, w::GpuFeatureName::Float32Filterable, "float32-filterable"),
    (wgt::Features::FLOAT32_BLENDABLE, w::GpuFeatureName::Float32Blendable, "float32-blendable"),
    (wgt::Features::DUAL_SOURCE_BLENDING, w::GpuFeatureName::DualSourceBlending, "dual-source-blending"),
    (wgt::Features::CLIP_DISTANCES, w::GpuFeatureName::ClipDistances, "clip-distances"),
    (wgt::Features::SUBGROUP, w::GpuFeatureName::Subgroups, "subgroups"),
    (wgt::Features::PRIMITIVE_INDEX, w::GpuFeatureName::PrimitiveIndex, "primitive-index"),
    (wgt::Features::TEXTURE_FORMAT_16BIT_NORM, w::GpuFeatureName::TextureFormatsTier1, "texture-formats-tier1"),
];

pub fn unmap_features(supported: &w::GpuSupportedFeatures) -> wgt::Features {
    FEATURES.iter().filter(|(_, _, name)| supported.has(name)).fold(wgt::Features::empty(), |all, (f, _, _)| all | *f)
}

/// The features a device descriptor asks for, or the first wgpu feature WebGPU cannot name.
pub fn map_required_features(features: wgt::Features) -> Result<Vec<w::GpuFeatureName>, wgt::Features> {
    let known = FEATURES.iter().fold(wgt::Features::empty(), |all, (f, _, _)| all | *f);
    let unknown = features - known;
    if !unknown.is_empty() {
        return Err(unknown);
    }
    Ok(FEATURES.iter().filter(|(f, _, _)| features.contains(*f)).map(|(_, name, _)| *name).collect())
}

/// WebGPU's limits in wgpu's struct; what WebGPU does not report keeps
/// wgpu's downlevel default (as wgpu's own WebGPU backend does).
pub fn unmap_limits(limits: &w::GpuSupportedLimits) -> wgt::Limits {
    wgt::Limits {
        max_texture_dimension_1d: limits.max_texture_dimension1_d(),
        max_texture_dimension_2d: limits.max_texture_dimension2_d(),
        max_texture_dimension_3d: limits.max_texture_dimension3_d(),
        max_texture_array_layers: limits.max_texture_array_layers(),
        max_bind_groups: limits.max_bind_groups(),
        max_bind_groups_plus_vertex_buffers: limits.max_bind_groups_plus_vertex_buffers(),
        max_bindings_per_bind_group: limits.max_bindings_per_bind_group(),
        max_dynamic_uniform_buffers_per_pipeline_layout: limits.max_dynamic_uniform_buffers_per_pipeline_layout(),
        max_dynamic_storage_buffers_per_pipeline_layout: limits.max_dynamic_storage_buffers_per_pipeline_layout(),
        max_sampled_textures_per_shader_stage: limits.max_sampled_textures_per_shader_stage(),
        max_samplers_per_shader_stage: limits.max_samplers_per_shader_stage(),
        max_storage_buffers_per_shader_stage: limits.max_storage_buffers_per_shader_stage(),
        max_storage_textures_per_shader_stage: limits.max_storage_textures_per_shader_stage(),
        max_uniform_buffers_per_shader_stage: limits.max_uniform_buffers_per_shader_stage(),
        max_uniform_buffer_binding_size: limits.max_uniform_buffer_binding_size(),
        max_storage_buffer_binding_size: limits.max_storage_buffer_binding_size(),
        min_uniform_buffer_offset_alignment: limits.min_uniform_buffer_offset_alignment(),
        min_storage_buffer_offset_alignment: limits.min_storage_buffer_offset_alignment(),
        max_vertex_buffers: limits.max_vertex_buffers(),
        max_buffer_size: limits.max_buffer_size(),
        max_vertex_attributes: limits.max_vertex_attributes(),
        max_vertex_buffer_array_stride: limits.max_vertex_buffer_array_stride(),
        max_inter_stage_shader_variables: limits.max_inter_stage_shader_variables(),
        max_color_attachments: limits.max_color_attachments(),
        max_color_attachment_bytes_per_sample: limits.max_color_attachment_bytes_per_sample(),
        max_compute_workgroup_storage_size: limits.max_compute_workgroup_storage_size(),
        max_compute_invocations_per_workgroup: limits.max_compute_invocations_per_workgroup(),
        max_compute_workgroup_size_x: limits.max_compute_workgroup_size_x(),
        max_compute_workgroup_size_y: limits.max_compute_workgroup_size_y(),
        max_compute_workgroup_size_z: limits.max_compute_workgroup_size_z(),
        max_compute_workgroups_per_dimension: limits.max_compute_workgroups_per_dimension(),
        max_immediate_size: limits.max_immediate_size(),
        ..wgt::Limits::downlevel_defaults()
    }
}

/// The limits a device descriptor asks for, by WebGPU's names. Only those
/// above WebGPU's defaults are sent: a browser refuses a request beyond its
/// adapter, and wgpu's defaults are what every WebGPU adapter offers.
pub fn map_required_limits(limits: &wgt::Limits) -> w::RecordOptionGpuSize64 {
    let record = w::RecordOptionGpuSize64::new();
    let defaults = wgt::Limits::defaults();
    let add = |name: &str, value: u64, default: u64| {
        if value != default {
            record.add(name, Some(value));
        }
    };
    macro_rules! limits {
        ($($name:literal => $field:ident),* $(,)?) => {
            $(add($name, u64::from(limits.$field), u64::from(defaults.$field));)*
        };
    }
    limits! {
        "maxTextureDimension1D" => max_texture_dimension_1d,
        "maxTextureDimension2D" => max_texture_dimension_2d,
        "maxTextureDimension3D" => max_texture_dimension_3d,
        "maxTextureArrayLayers" => max_texture_array_layers,
        "maxBindGroups" => max_bind_groups,
        "maxBindGroupsPlusVertexBuffers" => max_bind_groups_plus_vertex_buffers,
        "maxBindingsPerBindGroup" => max_bindings_per_bind_group,
        "maxDynamicUniformBuffersPerPipelineLayout" => max_dynamic_uniform_buffers_per_pipeline_layout,
        "maxDynamicStorageBuffersPerPipelineLayout" => max_dynamic_storage_buffers_per_pipeline_layout,
        "maxSampledTexturesPerShaderStage" => max_sampled_textures_per_shader_stage,
        "maxSamplersPerShaderStage" => max_samplers_per_shader_stage,
        "maxStorageBuffersPerShaderStage" => max_storage_buffers_per_shader_stage,
        "maxStorageTexturesPerShaderStage" => max_storage_textures_per_shader_stage,
        "maxUniformBuffersPerShaderStage" => max_uniform_buffers_per_shader_stage,
        "maxUniformBufferBindingSize" => max_uniform_buffer_binding_size,
        "maxStorageBufferBindingSize" => max_storage_buffer_binding_size,
        "minUniformBufferOffsetAlignment" => min_uniform_buffer_offset_alignment,
        "minStorageBufferOffsetAlignment" => min_storage_buffer_offset_alignment,
        "maxVertexBuffers" => max_vertex_buffers,
        "maxBufferSize" => max_buffer_size,
        "maxVertexAttributes" => max_vertex_attributes,
        "maxVertexBufferArrayStride" => max_vertex_buffer_array_stride,
        "maxInterStageShaderVariables" => max_inter_stage_shader_variables,
        "maxColorAttachments" => max_color_attachments,
        "maxColorAttachmentBytesPerSample" => max_color_attachment_bytes_per_sample,
        "maxComputeWorkgroupStorageSize" => max_compute_workgroup_storage_size,
        "maxComputeInvocationsPerWorkgroup" => max_compute_invocations_per_workgroup,
        "maxComputeWorkgroupSizeX" => max_compute_workgroup_size_x,
        "maxComputeWorkgroupSizeY" => max_compute_workgroup_size_y,
        "maxComputeWorkgroupSizeZ" => max_compute_workgroup_size_z,
        "maxComputeWorkgroupsPerDimension" => max_compute_workgroups_per_dimension,
        "maxImmediateSize" => max_immediate_size,
    }
    record
}

pub fn unmap_adapter_info(info: &w::GpuAdapterInfo) -> wgt::AdapterInfo {
    // WebGPU names no vendor or device ids; a fallback adapter is a CPU one.
    let device_type = if info.is_fallback_adapter() { wgt::DeviceType::Cpu } else { wgt::DeviceType::Other };
    let mut out = wgt::AdapterInfo::new(device_type, wgt::Backend::BrowserWebGpu);
    out.name = info.description();
    out.driver = info.architecture();
    out.driver_info = info.vendor();
    out.subgroup_min_size = info.subgroup_min_size();
    out.subgroup_max_size = info.subgroup_max_size();
    out
}

/// A GPU error from the host, as wgpu's error value.
pub fn unmap_error(error: &w::GpuError) -> wgpu::Error {
    let message = error.message();
    match error.kind() {
        w::GpuErrorKind::ValidationError => wgpu::Error::Validation { source: message.clone().into(), description: message },
        w::GpuErrorKind::OutOfMemoryError => wgpu::Error::OutOfMemory { source: message.into() },
        w::GpuErrorKind::InternalError => wgpu::Error::Internal { source: message.clone().into(), description: message },
    }
}

/// An error a WIT call returned (not a GPU error the browser raised), as a
/// validation error: wgpu's call has no error result, so it goes where the
/// browser's validation errors go.
pub fn validation_error(call: &str, message: &str) -> wgpu::Error {
    let description = format!("{call}: {message}");
    wgpu::Error::Validation { source: description.clone().into(), description }
}
