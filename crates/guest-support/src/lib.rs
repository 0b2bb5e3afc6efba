//! What the example guests share that does not depend on their generated
//! bindings (each guest generates its own `wasi:webgpu` types).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// `Debug` of a WIT enum or variant case as its WIT case name
/// (`GpuErrorKind::ValidationError` -> `validation-error`); a payload is
/// dropped.
pub fn kind_name<K: std::fmt::Debug>(kind: K) -> String {
    let debug = format!("{kind:?}");
    let case = debug.split('(').next().unwrap_or_default();
    let case = case.rsplit("::").next().unwrap_or_default();
    let mut out = String::new();
    for (i, c) in case.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

pub type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// wit-bindgen's async imports are lazy: the host call happens on the first
/// poll. This makes the call now, so the guest can act while it is pending;
/// the future comes back if it is.
pub fn start<'a, T>(future: impl Future<Output = T> + 'a) -> Result<T, Boxed<'a, T>> {
    let mut future: Boxed<'a, T> = Box::pin(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err(future),
    }
}

/// The output of a call made with `start`.
pub async fn finish<T>(started: Result<T, Boxed<'_, T>>) -> T {
    match started {
        Ok(output) => output,
        Err(pending) => pending.await,
    }
}

/// Awaits all `futures` at once; returns their outputs in the order they
/// completed, each with its index.
pub async fn join_in_completion_order<T>(futures: Vec<Boxed<'_, T>>) -> Vec<(usize, T)> {
    struct Join<'a, T> {
        futures: Vec<Option<Boxed<'a, T>>>,
        done: Vec<(usize, T)>,
    }
    // Only the boxed futures are polled, never pinned through `done`.
    impl<T> Unpin for Join<'_, T> {}
    impl<T> Future for Join<'_, T> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(dead_code)]
    #[derive(Debug)]
    enum Kind {
        ValidationError,
        GpuPipelineError(Reason),
    }
    #[derive(Debug)]
    enum Reason {
        Internal,
    }

    #[test]
    fn case_names_as_the_wit_spells_them() {
        assert_eq!(kind_name(Kind::ValidationError), "validation-error");
        assert_eq!(kind_name(Kind::GpuPipelineError(Reason::Internal)), "gpu-pipeline-error");
        assert_eq!(kind_name(Reason::Internal), "internal");
    }
}
