// The frame-loop benchmark's shaders, shared by the guest
// (crates/test-guests/frame-loop) and its JS twin (frame-loop.js).
@group(0) @binding(0) var<uniform> tint: vec4f;

@vertex fn vs(@location(0) position: vec2f) -> @builtin(position) vec4f {
  return vec4f(position, 0.0, 1.0);
}

@fragment fn fs() -> @location(0) vec4f {
  return tint;
}
