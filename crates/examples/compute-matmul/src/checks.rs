//! The checks the web tests run through the whole stack: each bad input
//! must come back as the WIT's error (never a trap), and values must
//! survive the trip through the host unchanged.

use guest_support::{finish, kind_name, start};

use crate::gpu::{self, GpuBufferUsage, GpuMapMode};

type Report = Vec<(String, String, String)>;

fn record(report: &mut Report, case: &str, outcome: Result<(), (String, String)>) {
    let (kind, message) = outcome.err().unwrap_or_else(|| ("ok".into(), String::new()));
    report.push((case.into(), kind, message));
}

fn buffer(device: &gpu::GpuDevice, size: u64, usage: GpuBufferUsage) -> gpu::GpuBuffer {
    device.create_buffer(&gpu::GpuBufferDescriptor { size, usage, mapped_at_creation: None, label: None })
}

const FEATURES_TO_TRY: &[(&str, gpu::GpuFeatureName)] = &[
    ("texture-compression-astc", gpu::GpuFeatureName::TextureCompressionAstc),
    ("texture-compression-etc2", gpu::GpuFeatureName::TextureCompressionEtc2),
    ("dual-source-blending", gpu::GpuFeatureName::DualSourceBlending),
    ("clip-distances", gpu::GpuFeatureName::ClipDistances),
    ("subgroups", gpu::GpuFeatureName::Subgroups),
    ("shader-f16", gpu::GpuFeatureName::ShaderF16),
    ("timestamp-query", gpu::GpuFeatureName::TimestampQuery),
];

pub async fn error_paths() -> Report {
    let mut report = Report::new();
    let Some(adapter) = gpu::get_gpu().request_adapter(None).await else {
        record(&mut report, "adapter", Err(("no-adapter".into(), String::new())));
        return report;
    };

    // A feature this adapter lacks.
    let features = adapter.features();
    let missing = FEATURES_TO_TRY.iter().find(|(js, _)| !features.has(js));
    if let Some((_, feature)) = missing {
        let outcome = adapter
            .request_device(Some(gpu::GpuDeviceDescriptor {
                required_features: Some(vec![*feature]),
                required_limits: None,
                default_queue: None,
                label: None,
            }))
            .await
            .map(|_| ())
            .map_err(|e| (kind_name(e.kind), e.message));
        record(&mut report, "request-device-missing-feature", outcome);
    }

    // A limit above what the adapter supports.
    let limits = gpu::RecordOptionGpuSize64::new();
    limits.add("maxBufferSize", Some(adapter.limits().max_buffer_size() + 1));
    let outcome = adapter
        .request_device(Some(gpu::GpuDeviceDescriptor {
            required_features: None,
            required_limits: Some(limits),
            default_queue: None,
            label: None,
        }))
        .await
        .map(|_| ())
        .map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "request-device-limit-too-high", outcome);

    let device = match crate::device(None).await {
        Ok(device) => device,
        Err(message) => {
            record(&mut report, "device", Err(("no-device".into(), message)));
            return report;
        }
    };
    let queue = device.queue();

    // map-async of a buffer without MAP_READ.
    let no_map = buffer(&device, 16, GpuBufferUsage::COPY_DST);
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let outcome = no_map.map_async(GpuMapMode::READ, None, None).await.map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "map-async-without-usage", outcome);
    let _ = device.pop_error_scope().await;

    // get-mapped-range before mapping, and outside the mapped range.
    let readable = buffer(&device, 16, GpuBufferUsage::MAP_READ | GpuBufferUsage::COPY_DST);
    let outcome = readable.get_mapped_range_get_with_copy(None, None).map(|_| ()).map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "get-mapped-range-unmapped", outcome);
    let mapped = readable.map_async(GpuMapMode::READ, Some(0), Some(8)).await;
    record(&mut report, "map-async-first-half", mapped.map_err(|e| (kind_name(e.kind), e.message)));
    let outcome = readable
        .get_mapped_range_get_with_copy(Some(8), Some(8))
        .map(|_| ())
        .map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "get-mapped-range-outside", outcome);
    // The same range twice: WebGPU refuses overlapping getMappedRange; the
    // with-copy read must still work.
    let first = readable.get_mapped_range_get_with_copy(Some(0), Some(8));
    let second = readable.get_mapped_range_get_with_copy(Some(0), Some(8));
    let outcome = match (first, second) {
        (Ok(a), Ok(b)) if a.len() == 8 && a == b => Ok(()),
        (Ok(a), Ok(b)) => Err(("mismatch".into(), format!("{} and {} bytes", a.len(), b.len()))),
        (Err(e), _) | (_, Err(e)) => Err((kind_name(e.kind), e.message)),
    };
    record(&mut report, "get-mapped-range-twice", outcome);
    // Inside that held range but misaligned: still WebGPU's operation-error.
    let outcome = readable
        .get_mapped_range_get_with_copy(Some(4), Some(4))
        .map(|_| ())
        .map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "get-mapped-range-misaligned-inside-held", outcome);
    let outcome = readable.unmap().map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "unmap-mapped", outcome);

    // unmap of an unmapped buffer: WebGPU makes it a no-op.
    let outcome = readable.unmap().map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "unmap-unmapped", outcome);

    // unmap while a map is pending: the map gets abort-error.
    let pending = start(readable.map_async(GpuMapMode::READ, None, None));
    let state_while_pending = readable.map_state();
    let _ = readable.unmap();
    let outcome = finish(pending).await.map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "map-async-aborted-by-unmap", outcome);
    report.push(("map-state-while-pending".into(), kind_name(state_while_pending), String::new()));

    // A mapped range offset that is not a multiple of 8.
    let _ = readable.map_async(GpuMapMode::READ, None, None).await;
    let outcome = readable
        .get_mapped_range_get_with_copy(Some(4), Some(4))
        .map(|_| ())
        .map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "get-mapped-range-misaligned", outcome);
    let _ = readable.unmap();

    // get-mapped-range-set-with-copy with more data than the range.
    let writable = device.create_buffer(&gpu::GpuBufferDescriptor {
        size: 8,
        usage: GpuBufferUsage::MAP_WRITE | GpuBufferUsage::COPY_SRC,
        mapped_at_creation: Some(true),
        label: None,
    });
    let outcome = writable.get_mapped_range_set_with_copy(&[0u8; 16], None, None).map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "set-mapped-range-too-long", outcome);
    let _ = writable.unmap();

    // pop-error-scope with no scope pushed.
    let outcome = device.pop_error_scope().await.map(|_| ()).map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "pop-error-scope-empty", outcome);

    // write-buffer-with-copy reading past the end of its data.
    let target = buffer(&device, 16, GpuBufferUsage::COPY_DST);
    let outcome = queue
        .write_buffer_with_copy(&target, 0, &[1, 2, 3, 4], Some(8), None)
        .map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "write-buffer-data-offset-past-end", outcome);

    // set-bind-group with a dynamic offsets range outside the data.
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_compute_pass(None);
    let outcome = pass
        .set_bind_group(0, None, Some(&[0, 0]), Some(1), Some(4))
        .map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "set-bind-group-offsets-out-of-range", outcome);
    pass.end();

    // A shader that does not compile, through the async pipeline.
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let broken = device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
        code: "@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }".into(),
        compilation_hints: None,
        label: None,
    });
    let outcome = device
        .create_compute_pipeline_async(gpu::GpuComputePipelineDescriptor {
            compute: gpu::GpuProgrammableStage { module: &broken, entry_point: Some("main".into()), constants: None },
            layout: gpu::GpuLayoutMode::Auto,
            label: None,
        })
        .await
        .map(|_| ())
        .map_err(|e| match e.kind {
            gpu::CreatePipelineErrorKind::GpuPipelineError(reason) => (format!("gpu-pipeline-error:{}", kind_name(reason)), e.message),
        });
    record(&mut report, "create-compute-pipeline-async-bad-shader", outcome);
    // The shader module's own error lands in the scope.
    let scope = device.pop_error_scope().await;
    let outcome = match scope {
        Ok(Some(error)) => Err((kind_name(error.kind()), error.message())),
        Ok(None) => Ok(()),
        Err(e) => Err(("pop-failed".into(), e.message)),
    };
    record(&mut report, "error-scope-bad-shader", outcome);

    // A timestamp query set without the feature.
    let outcome = device
        .create_query_set(&gpu::GpuQuerySetDescriptor { type_: gpu::GpuQueryType::Timestamp, count: 2, label: None })
        .map(|_| ())
        .map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "create-query-set-timestamp-without-feature", outcome);

    // The guest is still running and the device still works.
    let alive = buffer(&device, 4, GpuBufferUsage::MAP_READ | GpuBufferUsage::COPY_DST);
    let outcome = alive.map_async(GpuMapMode::READ, None, None).await.map_err(|e| (kind_name(e.kind), e.message));
    record(&mut report, "still-running", outcome);
    report
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn conversions() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut say = |k: &str, v: String| out.push((k.to_string(), v));

    // record-option-gpu-size64: u64 above 2^32, a none value, an absent key.
    let record = gpu::RecordOptionGpuSize64::new();
    record.add("big", Some((1u64 << 40) + 7));
    record.add("zero", Some(0));
    record.add("none", None);
    say("record-get-big", format!("{:?}", record.get("big")));
    say("record-get-zero", format!("{:?}", record.get("zero")));
    say("record-get-none", format!("{:?}", record.get("none")));
    say("record-get-absent", format!("{:?}", record.get("absent")));
    say("record-keys", format!("{:?}", record.keys()));
    say("record-values", format!("{:?}", record.values()));
    say("record-entries", format!("{:?}", record.entries()));
    record.remove("zero");
    say("record-has-removed", format!("{}", record.has("zero")));
    let constants = gpu::RecordGpuPipelineConstantValue::new();
    constants.add("scale", 0.0);
    constants.add("bias", -1.5);
    say("constants-get", format!("{:?} {:?} {:?}", constants.get("scale"), constants.get("bias"), constants.get("x")));
    say("constants-entries", format!("{:?}", constants.entries()));

    let gpu = gpu::get_gpu();
    say("preferred-canvas-format", format!("{:?}", gpu.get_preferred_canvas_format()));
    let Some(adapter) = gpu.request_adapter(Some(gpu::GpuRequestAdapterOptions {
        feature_level: Some("core".into()),
        power_preference: Some(gpu::GpuPowerPreference::HighPerformance),
        force_fallback_adapter: Some(false),
        xr_compatible: None,
    })).await else {
        say("adapter", "none".into());
        return out;
    };
    let info = adapter.info();
    say("adapter-info", format!("{}|{}|fallback={}", info.vendor(), info.architecture(), info.is_fallback_adapter()));

    // Required limits that are u64 in the WIT, through the record resource.
    let adapter_limits = adapter.limits();
    let wanted = adapter_limits.max_storage_buffer_binding_size();
    let limits = gpu::RecordOptionGpuSize64::new();
    limits.add("maxStorageBufferBindingSize", Some(wanted));
    limits.add("max-compute-workgroup-storage-size", Some(u64::from(adapter_limits.max_compute_workgroup_storage_size())));
    let device = match adapter
        .request_device(Some(gpu::GpuDeviceDescriptor {
            required_features: Some(vec![]),
            required_limits: Some(limits),
            default_queue: None,
            label: Some("".into()),
        }))
        .await
    {
        Ok(device) => device,
        Err(e) => {
            say("device", format!("{:?}: {}", e.kind, e.message));
            return out;
        }
    };
    say(
        "required-limits",
        format!(
            "{}={} {}={}",
            wanted,
            device.limits().max_storage_buffer_binding_size(),
            adapter_limits.max_compute_workgroup_storage_size(),
            device.limits().max_compute_workgroup_storage_size()
        ),
    );
    say("device-label-empty", format!("{:?}", device.label()));
    device.set_label("renamed");
    say("device-label", device.label());
    say("wgsl-has-nonsense", format!("{}", gpu.wgsl_language_features().has("no-such-feature")));

    let queue = device.queue();
    let usage = GpuBufferUsage::MAP_READ | GpuBufferUsage::COPY_DST;
    let buf = device.create_buffer(&gpu::GpuBufferDescriptor { size: 16, usage, mapped_at_creation: Some(false), label: Some("b".into()) });
    say("buffer-usage", format!("{:?}", buf.usage()));
    say("buffer-size", buf.size().to_string());
    say("buffer-label", buf.label());
    buf.set_label("");
    say("buffer-label-cleared", format!("{:?}", buf.label()));

    // Options where 0 is a value: data offset 0 and buffer offset 0, then
    // data offset 4 with size 4.
    let src = device.create_buffer(&gpu::GpuBufferDescriptor {
        size: 16,
        usage: GpuBufferUsage::COPY_SRC | GpuBufferUsage::COPY_DST,
        mapped_at_creation: None,
        label: None,
    });
    let data: Vec<u8> = (1..=8).collect();
    let w1 = queue.write_buffer_with_copy(&src, 0, &data, Some(0), Some(4));
    let w2 = queue.write_buffer_with_copy(&src, 8, &data, Some(4), Some(4));
    say("write-results", format!("{} {}", w1.is_ok(), w2.is_ok()));
    let encoder = device.create_command_encoder(None);
    encoder.copy_buffer_to_buffer(&src, None, &buf, None, None);
    queue.submit(&[&encoder.finish(Some(&gpu::GpuCommandBufferDescriptor { label: Some("copy".into()) }))]);
    say("map-state-before", format!("{:?}", buf.map_state()));
    // jco resumes the guest after an async-lowered call on a timer, so the
    // map may already have finished when `start` returns (it then says so).
    let mapping = start(buf.map_async(GpuMapMode::READ, Some(0), None));
    let call = if mapping.is_ok() { "returned" } else { "pending" };
    say("map-state-pending", format!("{:?} call={call}", buf.map_state()));
    let mapped = finish(mapping).await;
    say("map-state-after", format!("{:?} ok={}", buf.map_state(), mapped.is_ok()));
    let bytes = buf.get_mapped_range_get_with_copy(Some(0), None).unwrap_or_default();
    say("written-bytes", hex(&bytes));
    let tail = buf.get_mapped_range_get_with_copy(Some(8), Some(8)).unwrap_or_default();
    say("mapped-tail", hex(&tail));
    let _ = buf.unmap();

    // mapped-at-creation and set-with-copy, read back through a copy.
    let staged = device.create_buffer(&gpu::GpuBufferDescriptor {
        size: 8,
        usage: GpuBufferUsage::COPY_SRC,
        mapped_at_creation: Some(true),
        label: None,
    });
    let set = staged.get_mapped_range_set_with_copy(&[9, 8, 7, 6, 5, 4, 3, 2], Some(0), None);
    say("set-mapped-range", format!("{}", set.is_ok()));
    let _ = staged.unmap();
    let encoder = device.create_command_encoder(None);
    encoder.clear_buffer(&buf, Some(0), Some(8));
    encoder.copy_buffer_to_buffer(&staged, Some(0), &buf, Some(8), Some(8));
    queue.submit(&[&encoder.finish(None)]);
    queue.on_submitted_work_done().await;
    let _ = buf.map_async(GpuMapMode::READ, None, None).await;
    say("cleared-and-copied", hex(&buf.get_mapped_range_get_with_copy(None, None).unwrap_or_default()));
    let _ = buf.unmap();

    // Auto layout and get-bind-group-layout.
    let module = device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
        code: "@group(0) @binding(0) var<storage, read_write> v: array<u32>;\n@compute @workgroup_size(1) fn main() { v[0] = 42u; }".into(),
        compilation_hints: None,
        label: None,
    });
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let pipeline = device.create_compute_pipeline(gpu::GpuComputePipelineDescriptor {
        compute: gpu::GpuProgrammableStage { module: &module, entry_point: None, constants: None },
        layout: gpu::GpuLayoutMode::Auto,
        label: Some("auto".into()),
    });
    let layout = pipeline.get_bind_group_layout(0);
    let storage = device.create_buffer(&gpu::GpuBufferDescriptor {
        size: 4,
        usage: GpuBufferUsage::STORAGE | GpuBufferUsage::COPY_SRC,
        mapped_at_creation: None,
        label: None,
    });
    let group = device.create_bind_group(&gpu::GpuBindGroupDescriptor {
        layout: &layout,
        entries: vec![gpu::GpuBindGroupEntry { binding: 0, resource: gpu::GpuBindingResource::GpuBuffer(&storage) }],
        label: None,
    });
    let encoder = device.create_command_encoder(None);
    let pass = encoder.begin_compute_pass(Some(&gpu::GpuComputePassDescriptor { timestamp_writes: None, label: Some("p".into()) }));
    pass.set_pipeline(&pipeline);
    let _ = pass.set_bind_group(0, Some(&group), None, None, None);
    pass.dispatch_workgroups(1, None, None);
    pass.end();
    encoder.copy_buffer_to_buffer(&storage, Some(0), &buf, Some(0), Some(4));
    queue.submit(&[&encoder.finish(None)]);
    let scope = device.pop_error_scope().await;
    say("auto-layout-errors", format!("{:?}", scope.map(|e| e.map(|e| e.message()))));
    let _ = buf.map_async(GpuMapMode::READ, Some(0), Some(4)).await;
    say("auto-layout-result", hex(&buf.get_mapped_range_get_with_copy(Some(0), Some(4)).unwrap_or_default()));
    let _ = buf.unmap();

    // An out-of-range bind group index is a validation error.
    device.push_error_scope(gpu::GpuErrorFilter::Validation);
    let _ = pipeline.get_bind_group_layout(7);
    let scope = device.pop_error_scope().await;
    say("bind-group-layout-7", format!("{}", matches!(scope, Ok(Some(_)))));

    // Compilation messages with line numbers.
    let broken = device.create_shader_module(&gpu::GpuShaderModuleDescriptor {
        code: "\n\nfn f() -> u32 { return 1.5; }\n".into(),
        compilation_hints: None,
        label: None,
    });
    let info = broken.get_compilation_info().await;
    let first = info.messages().into_iter().find(|m| m.type_() == gpu::GpuCompilationMessageType::Error);
    say("compilation-error-line", first.map(|m| m.line_num().to_string()).unwrap_or_default());

    let query = device.create_query_set(&gpu::GpuQuerySetDescriptor { type_: gpu::GpuQueryType::Occlusion, count: 3, label: None });
    say("query-set", match query {
        Ok(q) => format!("{:?} {}", q.type_(), q.count()),
        Err(e) => e.message,
    });
    // `lost` is events' (a future: no hybrid bindings in jco 1.35.0).
    out
}
