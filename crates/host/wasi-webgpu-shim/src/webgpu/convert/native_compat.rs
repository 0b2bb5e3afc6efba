//! Guests written for the native runtime (wasi-gfx-runtime 0.5 on wgpu 29)
//! sometimes pass descriptors that wgpu-core accepts and WebGPU rejects.
//! Where native wgpu executes a well-defined operation, because it ignores
//! or defaults exactly some fields, the conversions here drop or fill those
//! fields so the browser does the same, and say so once per kind of fix on
//! the console, naming the field and WebGPU's rule so the guest's author
//! can fix the source. Nothing here turns a call that is invalid natively
//! into a valid one. docs/native-guests.md has the whole survey: these
//! fixes, and the differences left to WebGPU's behaviour.

use std::cell::Cell;

use wasm_bindgen::prelude::*;

use super::wit;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(message: &str);
}

/// One kind of reconciliation. Each has its own warning, printed once.
/// (A pass's read-only flag for a missing aspect is dropped with the ops,
/// so a bundle without that flag runs in it, as natively: no fix of its own.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fix {
    StencilFieldsWithoutStencilAspect,
    DepthFieldsWithoutDepthAspect,
    EmptyExecuteBundles,
    MaxDrawCount,
    StencilFacesWithoutStencilAspect,
    EmptyWriteBuffer,
    LimitNameSpelling,
    UnboundedLodMaxClamp,
}

impl Fix {
    /// The console text: what was changed, and the WebGPU rule it meets.
    pub fn warning(self) -> &'static str {
        match self {
            Fix::StencilFieldsWithoutStencilAspect => "stencil-load-op, stencil-store-op, stencil-clear-value and stencil-read-only were dropped from a depth-stencil attachment whose format has no stencil aspect, as native wgpu ignores them (WebGPU: stencilLoadOp and stencilStoreOp must not be provided when the format has no stencil aspect)",
            Fix::DepthFieldsWithoutDepthAspect => "depth-load-op, depth-store-op, depth-clear-value and depth-read-only were dropped from a depth-stencil attachment whose format has no depth aspect, as native wgpu ignores them (WebGPU: depthLoadOp and depthStoreOp must not be provided when the format has no depth aspect)",
            Fix::EmptyExecuteBundles => "execute-bundles with no bundles was skipped, as native wgpu records nothing for it (WebGPU: executeBundles resets the pass's pipeline, bind groups and buffers even for an empty list)",
            Fix::MaxDrawCount => "max-draw-count was not passed on (it was below WebGPU's default of 50000000), as the native runtime ignores it (WebGPU: a pass with more draws than maxDrawCount is invalid)",
            Fix::StencilFacesWithoutStencilAspect => "stencil-front and stencil-back were reset to their defaults on a depth-stencil state whose format has no stencil aspect and whose stencil masks are 0, as native wgpu ignores them (WebGPU: stencil faces other than the default need a format with a stencil aspect)",
            Fix::EmptyWriteBuffer => "write-buffer-with-copy of 0 bytes was skipped, as native wgpu returns before validating it (WebGPU: writeBuffer validates the buffer, its usage and the offset even for 0 bytes)",
            Fix::LimitNameSpelling => "a required-limits name was matched to WebGPU's spelling without regard to case, dashes or underscores, as native wgpu does (WebGPU: requiredLimits names must be spelled exactly, like maxBufferSize)",
            Fix::UnboundedLodMaxClamp => "lod-max-clamp of +infinity was replaced by 32, the largest mip level that can exist, as native wgpu accepts it (WebGPU: lodMaxClamp is a finite float)",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

thread_local! {
    static WARNED: Cell<u32> = const { Cell::new(0) };
}

/// Prints `fix`'s warning the first time it is applied on this page.
pub fn applied(fix: Fix) {
    let warned = WARNED.with(|w| {
        let before = w.get();
        w.set(before | fix.bit());
        before & fix.bit() != 0
    });
    if !warned {
        console_warn(&crate::text::concat(&["wasi-webgpu-shim: ", fix.warning()]));
    }
}

/// Which aspects a depth-stencil texture or view has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aspects {
    pub depth: bool,
    pub stencil: bool,
}

impl Aspects {
    /// `None` for colour formats and formats outside the WIT.
    pub fn of_format(format: wit::GpuTextureFormat) -> Option<Aspects> {
        use wit::GpuTextureFormat as F;
        let (depth, stencil) = match format {
            F::Depth16unorm | F::Depth24plus | F::Depth32float => (true, false),
            F::Stencil8 => (false, true),
            F::Depth24plusStencil8 | F::Depth32floatStencil8 => (true, true),
            // Every other format is a colour format: depth-stencil formats
            // are few and named above.
            _ => return None,
        };
        Some(Aspects { depth, stencil })
    }

    /// The aspects of a view of a texture with `format` through `aspect`.
    pub fn of_view(format: wit::GpuTextureFormat, aspect: Option<wit::GpuTextureAspect>) -> Option<Aspects> {
        let all = Aspects::of_format(format)?;
        Some(match aspect {
            None | Some(wit::GpuTextureAspect::All) | Some(wit::GpuTextureAspect::__Invalid) => all,
            Some(wit::GpuTextureAspect::DepthOnly) => Aspects { depth: all.depth, stencil: false },
            Some(wit::GpuTextureAspect::StencilOnly) => Aspects { depth: false, stencil: all.stencil },
        })
    }

    /// As a small number, for the view wrapper's own property.
    pub fn bits(self) -> u32 {
        u32::from(self.depth) | (u32::from(self.stencil) << 1)
    }

    pub fn from_bits(bits: u32) -> Aspects {
        Aspects { depth: bits & 1 != 0, stencil: bits & 2 != 0 }
    }
}

/// A required-limits name in WebGPU's spelling, when `name` matches one of
/// `known` up to case, dashes and underscores (native wgpu's rule). Exact
/// names and WIT-style kebab-case names are not a fix and do not warn.
pub fn limit_name(name: &str, known: &[&'static str]) -> Option<&'static str> {
    // ASCII folding: limit names are ASCII, and char::to_lowercase would
    // bring Unicode's case tables (about 8 KB gzipped) into the wasm.
    let folded = |s: &str| s.bytes().filter(|b| *b != b'-' && *b != b'_').map(|b| b.to_ascii_lowercase()).collect::<Vec<u8>>();
    let wanted = folded(name);
    let found = known.iter().copied().find(|k| folded(k) == wanted)?;
    let kebab = super::super::records::kebab_to_camel(name);
    if found != name && !kebab.eq_ignore_ascii_case(found) {
        applied(Fix::LimitNameSpelling);
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_names_in_kebab_case_and_exact_spelling_need_no_fix() {
        use crate::webgpu::gpu::LIMIT_NAMES;
        // Digits followed by a capital: plain kebab-to-camel gets these wrong.
        assert_eq!(limit_name("max-texture-dimension-1d", LIMIT_NAMES), Some("maxTextureDimension1D"));
        assert_eq!(limit_name("maxBufferSize", LIMIT_NAMES), Some("maxBufferSize"));
        assert_eq!(limit_name("max-compute-workgroup-size-x", LIMIT_NAMES), Some("maxComputeWorkgroupSizeX"));
        assert_eq!(limit_name("no-such-limit", LIMIT_NAMES), None);
    }

    #[test]
    fn aspects_follow_format_and_view_aspect() {
        use wit::{GpuTextureAspect as A, GpuTextureFormat as F};
        assert_eq!(Aspects::of_view(F::Depth24plus, None), Some(Aspects { depth: true, stencil: false }));
        assert_eq!(Aspects::of_view(F::Depth24plusStencil8, Some(A::StencilOnly)), Some(Aspects { depth: false, stencil: true }));
        assert_eq!(Aspects::of_view(F::Stencil8, Some(A::All)), Some(Aspects { depth: false, stencil: true }));
        assert_eq!(Aspects::of_view(F::Rgba8unorm, None), None);
    }
}
