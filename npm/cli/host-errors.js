// A step over jco 1.35.0's output (default and hybrid glue alike): when a
// host import throws something the canonical ABI cannot carry (anything
// but the `err` of a `result`), jco rethrows it as it is, and a runner can
// only print "[object Object]". This step makes each such throw an Error
// naming the import (`wasi:cli/stdout@0.2.3#get-stdout`) and the value
// thrown, printed readably; the original is kept as `thrown`. What
// wasi:cli/exit throws (marked `exitError`) passes unchanged.

const HELPER = `
function _hostImportThrew(thrown, name) {
  if (thrown != null && (thrown.exitError || thrown.hostImport)) return thrown;
  let shown;
  if (thrown instanceof Error) shown = String(thrown.stack ?? thrown).split('\\n')[0];
  else {
    try {
      shown = JSON.stringify(thrown, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(thrown);
    } catch {
      shown = String(thrown);
    }
  }
  const error = new Error(\`the host import \${name} threw \${shown}\`, { cause: thrown });
  error.hostImport = name;
  error.thrown = thrown;
  return error;
}
`;

// The glue logs each call's import by name on entry, before its try.
const ENTRY = /_debugLog\('\[iface="([^"]*)", function="([^"]*)"\] \[Instruction::CallInterface\]/g;
// A call whose throw is a trap: jco logs it and rethrows.
const TRAP_CATCH = /\} catch \(err\) \{\s*_debugLog\('\[Instruction::CallInterface\] error during (?:sync|async) call'/g;
// A call that returns a result: a thrown Error is rethrown by getErrorPayload.
const RESULT_CATCH = /\} catch \(e\) \{\n(\s*)if \(getOrCreateAsyncState\(\d+\)\.markTrapped\(e\)\)/g;

// Dropping a host resource runs its Symbol.dispose, which may throw too.
const DROP = /if \(rsc\[symbolDispose\]\) rsc\[symbolDispose\]\(\);(?=\s*captureTable\d+\.delete\(handleEntry\.rep\);\s*\} else if \((\w+)\[symbolCabiDispose\]\))/g;

/** @returns {{source: string, named: number}} */
export function nameHostImportThrows(source) {
  const entries = [...source.matchAll(ENTRY)].map((m) => ({ at: m.index, name: m[1] === m[2] ? m[1] : `${m[1]}#${m[2]}` }));
  const nameBefore = (at) => {
    let found;
    for (const entry of entries) {
      if (entry.at > at) break;
      found = entry;
    }
    return found?.name;
  };
  const inserts = [];
  for (const m of source.matchAll(TRAP_CATCH)) {
    const name = nameBefore(m.index);
    if (name) inserts.push([m.index + '} catch (err) {'.length, `\n    err = _hostImportThrew(err, ${JSON.stringify(name)});`]);
  }
  for (const m of source.matchAll(RESULT_CATCH)) {
    const name = nameBefore(m.index);
    if (name) {
      inserts.push([m.index + '} catch (e) {'.length, `\n${m[1]}if (e instanceof Error && !Object.prototype.hasOwnProperty.call(e, 'payload')) e = _hostImportThrew(e, ${JSON.stringify(name)});`]);
    }
  }
  const drops = [...source.matchAll(DROP)].length;
  if (inserts.length === 0 && drops === 0) return { source, named: 0 };
  inserts.sort((a, b) => b[0] - a[0]);
  let out = source;
  for (const [at, text] of inserts) out = out.slice(0, at) + text + out.slice(at);
  // Drops after the inserts, which were found at the original offsets.
  out = out.replace(DROP, (whole, cls) => `if (rsc[symbolDispose]) try { rsc[symbolDispose](); } catch (err) { throw _hostImportThrew(err, ${JSON.stringify(`[resource-drop]${cls}`)}); }`);
  // After the imports: a function declaration is hoisted for the whole module.
  return { source: out + HELPER, named: inserts.length + drops };
}
