//! Browser exceptions and rejections, turned into the WIT's error records.
//!
//! jco maps a thrown (or rejected) value that is not an `Error` to the `err`
//! case of a `result`, so every error result is a plain
//! `{ kind: { tag }, message }` object built here. Anything a browser throws
//! that we do not map would trap the guest, so the callers route every
//! fallible browser call through these functions.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The error kinds the WIT's error variants use, named after the
/// DOMException or JS error the WebGPU spec throws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    TypeError,
    OperationError,
    RangeError,
    AbortError,
}

impl Kind {
    /// The WIT variant case, which is also jco's `tag`.
    pub fn tag(self) -> &'static str {
        match self {
            Kind::TypeError => "type-error",
            Kind::OperationError => "operation-error",
            Kind::RangeError => "range-error",
            Kind::AbortError => "abort-error",
        }
    }

    fn from_exception_name(name: &str) -> Option<Kind> {
        match name {
            "TypeError" => Some(Kind::TypeError),
            "OperationError" => Some(Kind::OperationError),
            "RangeError" => Some(Kind::RangeError),
            "AbortError" => Some(Kind::AbortError),
            _ => None,
        }
    }
}

/// Which kinds each WIT error type has, and which one stands for a browser
/// exception outside them (the WIT has no catch-all case).
#[derive(Clone, Copy, Debug)]
pub struct ErrorType {
    pub kinds: &'static [Kind],
    pub fallback: Kind,
}

pub const REQUEST_DEVICE: ErrorType =
    ErrorType { kinds: &[Kind::TypeError, Kind::OperationError], fallback: Kind::OperationError };
pub const CREATE_QUERY_SET: ErrorType = ErrorType { kinds: &[Kind::TypeError], fallback: Kind::TypeError };
pub const POP_ERROR_SCOPE: ErrorType =
    ErrorType { kinds: &[Kind::OperationError], fallback: Kind::OperationError };
pub const MAP_ASYNC: ErrorType = ErrorType {
    kinds: &[Kind::OperationError, Kind::RangeError, Kind::AbortError],
    fallback: Kind::OperationError,
};
pub const GET_MAPPED_RANGE: ErrorType = ErrorType {
    kinds: &[Kind::OperationError, Kind::RangeError, Kind::TypeError],
    fallback: Kind::OperationError,
};
pub const WRITE_BUFFER: ErrorType =
    ErrorType { kinds: &[Kind::OperationError], fallback: Kind::OperationError };

/// `name` and `message` of whatever was thrown.
pub fn describe(exception: &JsValue) -> (String, String) {
    let field = |key: &str| {
        Reflect::get(exception, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    if exception.is_object() {
        (field("name"), field("message"))
    } else {
        (String::new(), exception.as_string().unwrap_or_else(|| crate::text::of_value(exception)))
    }
}

/// The kind a browser exception maps to within `ty`.
pub fn classify(ty: ErrorType, exception: &JsValue) -> (Kind, String) {
    let (name, message) = describe(exception);
    let kind = Kind::from_exception_name(&name)
        .filter(|k| ty.kinds.contains(k))
        .unwrap_or(ty.fallback);
    let message = if message.is_empty() { name } else { message };
    (kind, message)
}

/// `{ kind: { tag }, message }`, the shape jco lowers into the WIT record.
pub fn record(kind_tag: &str, kind_val: Option<&JsValue>, message: &str) -> JsValue {
    let kind = Object::new();
    set(&kind, "tag", &JsValue::from_str(kind_tag));
    if let Some(val) = kind_val {
        set(&kind, "val", val);
    }
    let error = Object::new();
    set(&error, "kind", &kind);
    set(&error, "message", &JsValue::from_str(message));
    error.into()
}

/// The WIT error record for a browser exception from a call whose result
/// has error type `ty`.
pub fn from_exception(ty: ErrorType, exception: &JsValue) -> JsValue {
    let (kind, message) = classify(ty, exception);
    record(kind.tag(), None, &message)
}

/// A WIT error of kind `kind` that the shim raises itself (for input the
/// browser would throw on, or that it cannot represent).
pub fn own(kind: Kind, message: &str) -> JsValue {
    record(kind.tag(), None, message)
}

/// `create-pipeline-error` from a rejected `create*PipelineAsync`.
pub fn pipeline(exception: &JsValue) -> JsValue {
    let (_, message) = describe(exception);
    let reason = exception
        .dyn_ref::<web_sys::GpuPipelineError>()
        .map(|e| e.reason())
        .unwrap_or(web_sys::GpuPipelineErrorReason::Internal);
    let reason = match reason {
        web_sys::GpuPipelineErrorReason::Validation => "validation",
        _ => "internal",
    };
    record("gpu-pipeline-error", Some(&JsValue::from_str(reason)), &message)
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Defining a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}
