//! Small helpers shared by the robustness checks.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::gpu;

pub async fn device() -> Result<gpu::GpuDevice, String> {
    let adapter = gpu::get_gpu().request_adapter(None).await.ok_or("no adapter")?;
    adapter.request_device(None).await.map_err(|e| format!("request-device: {}", e.message))
}

pub fn buffer(device: &gpu::GpuDevice, size: u64, usage: gpu::GpuBufferUsage) -> gpu::GpuBuffer {
    device.create_buffer(&gpu::GpuBufferDescriptor { size, usage, mapped_at_creation: None, label: None })
}

/// The WIT case name of an error kind: `OperationError` -> `operation-error`.
pub fn kind_name<K: std::fmt::Debug>(kind: K) -> String {
    let debug = format!("{kind:?}");
    let debug = debug.rsplit("::").next().unwrap_or_default();
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        if c == '(' {
            out.push(':');
            continue;
        }
        if c == ')' {
            continue;
        }
        out.push(c.to_ascii_lowercase());
    }
    out.replace(":-", ":")
}

/// What the innermost error scope caught: "none" or the error's kind.
pub async fn pop(device: &gpu::GpuDevice) -> String {
    match device.pop_error_scope().await {
        Ok(Some(error)) => kind_name(error.kind()),
        Ok(None) => "none".into(),
        Err(e) => format!("pop-failed:{}", kind_name(e.kind)),
    }
}

pub type Boxed<T> = Pin<Box<dyn Future<Output = T>>>;

/// wit-bindgen's async imports are lazy: the host call happens on the first
/// poll. This makes the call now; the future comes back if it is pending.
pub fn start<T: 'static>(future: impl Future<Output = T> + 'static) -> Result<T, Boxed<T>> {
    let mut future: Boxed<T> = Box::pin(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err(future),
    }
}

/// Awaits all `futures` at once and returns their outputs in the order
/// they completed, each with its index.
pub async fn join_in_completion_order<T>(futures: Vec<Boxed<T>>) -> Vec<(usize, T)> {
    struct Join<T> {
        futures: Vec<Option<Boxed<T>>>,
        done: Vec<(usize, T)>,
    }
    // Only the boxed futures are polled, never pinned through `done`.
    impl<T> Unpin for Join<T> {}
    impl<T> Future for Join<T> {
        type Output = Vec<(usize, T)>;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let this = self.get_mut();
            for (i, slot) in this.futures.iter_mut().enumerate() {
                if let Some(future) = slot {
                    if let Poll::Ready(output) = future.as_mut().poll(cx) {
                        this.done.push((i, output));
                        *slot = None;
                    }
                }
            }
            if this.futures.iter().all(Option::is_none) {
                Poll::Ready(std::mem::take(&mut this.done))
            } else {
                Poll::Pending
            }
        }
    }
    Join { futures: futures.into_iter().map(Some).collect(), done: Vec::new() }.await
}
