//! Messages built without `core::fmt`: the few messages the shim writes
//! join strings and decimal numbers, and `format!` would bring the
//! formatting machinery (padding, traits, integer tables) into the wasm
//! for them. What remains of it serves panics only.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// JS's `String(value)`, for a thrown value that is not an Error.
    #[wasm_bindgen(js_name = String)]
    fn js_string(value: &JsValue) -> String;
}

/// `parts`, one after another.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `value` in decimal.
pub fn decimal(value: u64) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = value;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits[at..].iter().map(|&digit| char::from(digit)).collect()
}

/// Any JS value as text, as JS's `String()` writes it.
pub fn of_value(value: &JsValue) -> String {
    js_string(value)
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_writes_every_digit() {
        assert_eq!(super::decimal(0), "0");
        assert_eq!(super::decimal(7), "7");
        assert_eq!(super::decimal(1_000_207), "1000207");
        assert_eq!(super::decimal(u64::MAX), "18446744073709551615");
    }

    #[test]
    fn concat_joins_in_order() {
        assert_eq!(super::concat(&["a", "", "bc", "d"]), "abcd");
    }
}
