//! The two WIT resources that stand for JS records: the pipeline
//! `constants` (`record<string, f64>`) and the device's `requiredLimits`
//! (`record<string, option<u64>>`). Both keep their entries in a JS `Map`
//! (insertion order, as JS records have) and are read back when a
//! descriptor that holds them is converted.

use js_sys::{Array, Map, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{native_compat, size64};
use super::gpu::LIMIT_NAMES;

#[wasm_bindgen]
extern "C" {
    /// Either record class, seen from a descriptor that holds one.
    type RecordObject;
    #[wasm_bindgen(method, js_name = __entriesMap)]
    fn entries_map(this: &RecordObject) -> Map;
}

/// Our wrapper if `value` is one (jco only passes ours; a direct JS caller
/// may pass anything), else `None`.
fn entries_of(value: &JsValue) -> Option<Map> {
    let has_method = Reflect::get(value, &"__entriesMap".into()).map(|m| m.is_function()).unwrap_or(false);
    has_method.then(|| value.unchecked_ref::<RecordObject>().entries_map())
}

/// WebGPU's `requiredLimits`: limit names in WebGPU's camelCase (a WIT-style
/// kebab-case key is converted), values as numbers, none as undefined.
pub fn required_limits(record: &JsValue) -> Object {
    let out = Object::new();
    if let Some(map) = entries_of(record) {
        map.for_each(&mut |value, key| {
            let key = key.as_string().unwrap_or_default();
            // A name WebGPU knows, spelled as native wgpu would accept it,
            // else as the guest wrote it (kebab-case to camelCase), which
            // the browser then rejects as an unknown limit.
            let key = native_compat::limit_name(&key, LIMIT_NAMES).map(String::from).unwrap_or_else(|| kebab_to_camel(&key));
            let value = match u64::try_from(value.clone()) {
                Ok(v) => JsValue::from_f64(size64(v)),
                Err(_) => JsValue::UNDEFINED,
            };
            Reflect::set(&out, &key.into(), &value).ok();
        });
    }
    out
}

/// WebGPU's pipeline `constants`.
pub fn pipeline_constants(record: &JsValue) -> Object {
    let out = Object::new();
    if let Some(map) = entries_of(record) {
        map.for_each(&mut |value, key| {
            Reflect::set(&out, &key, &value).ok();
        });
    }
    out
}

/// `max-buffer-size` -> `maxBufferSize`; a name without dashes is kept.
/// ASCII folding: WebGPU's names are ASCII, and `char::to_uppercase` would
/// bring Unicode's case tables (14 KiB of the wasm's data) for names no
/// limit or field has.
pub fn kebab_to_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A record resource backed by a JS `Map`: the constructor and the methods
/// that do not depend on the value type.
macro_rules! map_record {
    ($class:ident) => {
        #[wasm_bindgen]
        pub struct $class {
            entries: Map,
        }

        #[wasm_bindgen]
        impl $class {
            #[wasm_bindgen(constructor)]
            pub fn new() -> $class {
                $class { entries: Map::new() }
            }

            /// How a descriptor holding this record reads it (see `entries_of`).
            #[wasm_bindgen(js_name = __entriesMap)]
            pub fn entries_map(&self) -> Map {
                self.entries.clone()
            }

            pub fn has(&self, key: &str) -> bool {
                self.entries.has(&key.into())
            }

            pub fn remove(&self, key: &str) {
                self.entries.delete(&key.into());
            }

            pub fn keys(&self) -> Array {
                Array::from(&self.entries.keys().into())
            }

            pub fn values(&self) -> Array {
                Array::from(&self.entries.values().into())
            }

            pub fn entries(&self) -> Array {
                Array::from(&self.entries.entries().into())
            }
        }

        impl Default for $class {
            fn default() -> Self {
                Self::new()
            }
        }
    };
}

map_record!(RecordOptionGpuSize64);

#[wasm_bindgen]
impl RecordOptionGpuSize64 {
    pub fn add(&self, key: &str, value: Option<u64>) {
        let value = value.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        self.entries.set(&key.into(), &value);
    }

    /// `option<option<u64>>`: jco wants the outer layer as a `{ tag }` variant.
    pub fn get(&self, key: &str) -> JsValue {
        let key = JsValue::from_str(key);
        let outer = Object::new();
        if self.entries.has(&key) {
            Reflect::set(&outer, &"tag".into(), &"some".into()).ok();
            Reflect::set(&outer, &"val".into(), &self.entries.get(&key)).ok();
        } else {
            Reflect::set(&outer, &"tag".into(), &"none".into()).ok();
        }
        outer.into()
    }
}

map_record!(RecordGpuPipelineConstantValue);

#[wasm_bindgen]
impl RecordGpuPipelineConstantValue {
    pub fn add(&self, key: &str, value: f64) {
        self.entries.set(&key.into(), &value.into());
    }

    pub fn get(&self, key: &str) -> Option<f64> {
        self.entries.get(&key.into()).as_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::kebab_to_camel;

    #[test]
    fn limit_names_accept_both_spellings() {
        assert_eq!(kebab_to_camel("max-buffer-size"), "maxBufferSize");
        assert_eq!(kebab_to_camel("maxBufferSize"), "maxBufferSize");
        assert_eq!(kebab_to_camel("max-texture-dimension1-d"), "maxTextureDimension1D");
    }
}
