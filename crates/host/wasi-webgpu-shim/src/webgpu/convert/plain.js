// Fields that a WIT record (as jco passes it) and the WebGPU dictionary it
// becomes spell and represent alike, copied as they are.
const PLAIN = [
  // 0: gpu-sampler-descriptor
  ['addressModeU', 'addressModeV', 'addressModeW', 'magFilter', 'minFilter', 'mipmapFilter', 'lodMinClamp', 'lodMaxClamp', 'compare', 'maxAnisotropy', 'label'],
];

export function plainFields(record, table) {
  const out = {};
  for (const name of PLAIN[table]) {
    const value = record[name];
    if (value != null) out[name] = value;
  }
  return out;
}
