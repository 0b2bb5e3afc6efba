//! The `wasi:webgpu/webgpu` interface. Each file holds a group of its
//! resources; `wit.rs` is generated from the WIT.

mod buffer;
pub(crate) mod canvas;
mod command;
mod convert;
pub(crate) mod device;
mod error;
mod gpu;
pub(crate) mod handle;
mod invalid;
mod pipeline;
mod query;
mod queue;
mod records;
mod render;
pub(crate) mod texture;
pub mod wit;

pub use gpu::get_gpu;

#[cfg(test)]
mod wit_checks;
