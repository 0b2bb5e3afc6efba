//! The `wasi:webgpu/webgpu` interface. Each file holds a group of its
//! resources; `wit.rs` is generated from the WIT.

mod buffer;
mod canvas;
mod command;
mod convert;
mod device;
mod error;
mod gpu;
mod handle;
mod invalid;
mod pipeline;
mod query;
mod queue;
mod records;
mod render;
mod texture;
pub mod wit;

pub use gpu::get_gpu;

#[cfg(test)]
mod wit_checks;
