//! How resource wrappers are made and how a wrapper found inside a record is
//! turned back into the browser's GPU object.
//!
//! jco hands a borrowed resource that sits at the top level of a call to us
//! as `&Wrapper`, which wasm-bindgen resolves. A resource inside a record
//! (a bind group entry's buffer, a stage's shader module) arrives as a bare
//! JS object, and wasm-bindgen's only conversion from one takes ownership and
//! kills the guest's handle. So every wrapper also carries its GPU object in
//! an own property, set when the wrapper is made, and records read that.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// Any of our resource wrappers, seen as a plain JS object.
    pub type WrapperObject;
    #[wasm_bindgen(method, getter = __gpuObject)]
    fn gpu_object(this: &WrapperObject) -> JsValue;
    #[wasm_bindgen(method, setter = __gpuObject)]
    fn set_gpu_object(this: &WrapperObject, value: &JsValue);
    #[wasm_bindgen(method, getter = __aspects)]
    fn aspects(this: &WrapperObject) -> Option<u32>;
    #[wasm_bindgen(method, setter = __aspects)]
    fn set_aspects(this: &WrapperObject, value: u32);
}

/// Records on a texture view's wrapper which depth and stencil aspects it
/// has, for the native-runtime reconciliation of pass attachments (the
/// browser's view object does not tell its format).
pub fn set_view_aspects(wrapper: &JsValue, aspects: u32) {
    wrapper.unchecked_ref::<WrapperObject>().set_aspects(aspects);
}

/// What `set_view_aspects` recorded: `None` for a colour view.
pub fn view_aspects(wrapper: &JsValue) -> Option<u32> {
    wrapper.unchecked_ref::<WrapperObject>().aspects()
}

/// Makes the JS wrapper for `wrapper` and records `gpu_object` on it.
/// Every owned result gets a fresh wrapper: jco disposes each one once.
pub fn wrap<W: Into<JsValue>>(wrapper: W, gpu_object: &JsValue) -> JsValue {
    let js: JsValue = wrapper.into();
    js.unchecked_ref::<WrapperObject>().set_gpu_object(gpu_object);
    js
}

/// The browser object behind a wrapper that came inside a record.
/// jco only ever passes wrappers of the WIT's resource type here, so the
/// cast is unchecked; WebGPU itself rejects anything else.
pub fn gpu_object<T: JsCast>(wrapper: &JsValue) -> T {
    wrapper.unchecked_ref::<WrapperObject>().gpu_object().unchecked_into()
}

/// The browser object behind an `option<borrow<T>>`: `null` for none, which
/// WebGPU reads as "unbind" (bind groups, vertex buffers) or "no layout".
pub fn gpu_object_or_null(wrapper: &JsValue) -> JsValue {
    if wrapper.is_undefined() || wrapper.is_null() {
        JsValue::NULL
    } else {
        gpu_object(wrapper)
    }
}

/// Declares a WIT resource class wrapping a browser object.
macro_rules! resource {
    ($(#[$meta:meta])* $class:ident($inner:ty)) => {
        $(#[$meta])*
        #[wasm_bindgen]
        pub struct $class {
            #[allow(dead_code)]
            pub(crate) inner: $inner,
        }

        impl $class {
            /// A fresh JS wrapper around `inner`.
            #[allow(dead_code)] // Not every resource is returned yet.
            pub(crate) fn wrap(inner: $inner) -> JsValue {
                let gpu_object: JsValue = inner.clone().into();
                $crate::webgpu::handle::wrap($class { inner }, &gpu_object)
            }
        }
    };
}

// `label`, `set-label` and the debug markers of every resource are JS
// bodies (npm/generated/commands.js, from crates/host/wit-codegen/src/commands.rs).

pub(crate) use resource;
