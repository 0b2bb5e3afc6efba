//! Driving the WIT's async calls from wgpu's callback-style API.
//!
//! wit-bindgen's async imports are lazy (the host call happens on the first
//! poll) and complete only while the program's async export runs. wgpu's
//! callbacks (`map_async`, `on_submitted_work_done`, device loss) are
//! started at the call, so they keep their place among the other calls,
//! and finished by a task spawned on the export's executor.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

pub type Boxed<T> = Pin<Box<dyn Future<Output = T>>>;

/// Makes the host call now; returns the output, or the future still pending.
pub fn start<T: 'static>(future: impl Future<Output = T> + 'static) -> Result<T, Boxed<T>> {
    let mut future: Boxed<T> = Box::pin(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err(future),
    }
}

/// The output of a call made with `start`.
pub async fn finish<T>(started: Result<T, Boxed<T>>) -> T {
    match started {
        Ok(output) => output,
        Err(pending) => pending.await,
    }
}

/// Starts `future` now and calls `then` with its output: at once if it is
/// ready, else from a task on the program's export.
pub fn start_then<T: 'static>(future: impl Future<Output = T> + 'static, then: impl FnOnce(T) + 'static) {
    match start(future) {
        Ok(output) => then(output),
        Err(pending) => {
            // Detached: the task ends when the call settles.
            drop(spawn(async move { then(pending.await) }));
        }
    }
}

/// A task on the executor of the program's running async export. It keeps
/// that export from finishing until it ends or is cancelled.
pub fn spawn<T: 'static>(future: impl Future<Output = T> + 'static) -> wit_bindgen::JoinHandle<T> {
    wit_bindgen::spawn_local(future)
}
