//! Test guest for the package's WASI 0.3 (npm/wasi/): wasi:cli,
//! wasi:clocks and wasi:random @0.3.2 through the wasip3 crate.

wit_bindgen::generate!({
    world: "test:wasi-p3/guest",
    path: "wit/world.wit",
});

use wasip3::cli::{environment, stderr, stdin, stdout};
use wasip3::clocks::{monotonic_clock, system_clock};
use wasip3::random::{insecure_seed, random};

/// One line through a new stream: the host's future resolves once the
/// guest has written it and closed its end.
async fn write_line(to_stderr: bool, line: String) -> Result<(), String> {
    let (mut writer, reader) = wasip3::wit_stream::new();
    let done = if to_stderr { stderr::write_via_stream(reader) } else { stdout::write_via_stream(reader) };
    let left = writer.write_all(format!("{line}\n").into_bytes()).await;
    drop(writer);
    if !left.is_empty() {
        return Err(format!("{} bytes not taken", left.len()));
    }
    done.await.map_err(|e| format!("{e:?}"))
}

async fn say(line: String) {
    if let Err(e) = write_line(false, line).await {
        let _ = write_line(true, format!("stdout failed: {e}")).await;
    }
}

struct Component;

impl Guest for Component {
    async fn start() {
        say(format!("p3 args: {:?}", environment::get_arguments())).await;
        let greeting = environment::get_environment().into_iter().find(|(k, _)| k == "WASI_P3_GREETING").map(|(_, v)| v);
        say(format!("p3 env WASI_P3_GREETING: {greeting:?}")).await;
        let (input, result) = stdin::read_via_stream();
        let bytes = input.collect().await;
        say(format!("p3 stdin: {} bytes, {:?}", bytes.len(), result.await)).await;
        let before = monotonic_clock::now();
        monotonic_clock::wait_for(20_000_000).await;
        let waited = monotonic_clock::now().saturating_sub(before);
        say(format!("p3 waited at least 20 ms: {}", waited >= 19_000_000)).await;
        let seconds = system_clock::now().seconds;
        say(format!("p3 system clock plausible: {}", (1_577_836_800..4_102_444_800).contains(&seconds))).await;
        let differ = random::get_random_u64() != random::get_random_u64();
        let bytes = random::get_random_bytes(8).len();
        say(format!("p3 random: differ {differ}, {bytes} bytes, seed stable {}", insecure_seed::get_insecure_seed() == insecure_seed::get_insecure_seed())).await;
        let _ = write_line(true, "p3 this line goes to stderr".into()).await;
    }

    async fn stream_cycles(count: u32) {
        for i in 0..count {
            say(format!("p3 cycle {i}")).await;
        }
    }

    fn exit_with_code(code: u8) {
        wasip3::cli::exit::exit_with_code(code);
    }
}

export!(Component);
