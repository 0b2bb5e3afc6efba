// Shaders of `npm run bench`, shared by the guest (crates/bench) and
// its direct-JS twin (web-tests/bench/bench.js), so both do the same work.

struct Params { value: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> results: array<u32>;

@compute @workgroup_size(1) fn noop() {}

// GPU-bound: every invocation runs a long dependent chain.
@compute @workgroup_size(64) fn spin(@builtin(global_invocation_id) id: vec3u) {
  var x = id.x;
  for (var i = 0u; i < 20000u; i++) {
    x = x * 1664525u + 1013904223u;
  }
  results[id.x] = x;
}

@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  let p = array(vec2f(-0.1, -0.1), vec2f(0.1, -0.1), vec2f(0.0, 0.1));
  return vec4f(p[i], 0.0, 1.0);
}

@fragment fn fs() -> @location(0) vec4f {
  return vec4f(f32(params.value & 255u) / 255.0, 0.0, 0.0, 1.0);
}
