//! The `wasi:webgpu/webgpu` interface. Each file holds a group of its
//! resources; `wit.rs` is generated from the WIT.

mod buffer;
mod command;
mod convert;
mod device;
mod error;
mod gpu;
mod handle;
mod pipeline;
mod query;
mod queue;
mod records;
mod unported;
pub mod wit;

pub use gpu::get_gpu;

#[cfg(test)]
mod wit_checks;
